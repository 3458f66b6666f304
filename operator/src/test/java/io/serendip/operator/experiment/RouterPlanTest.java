package io.serendip.operator.experiment;

import static io.serendip.operator.experiment.Specs.arm;
import static io.serendip.operator.experiment.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serendip.config.ArmSettings;
import io.serendip.config.ConfigValidator;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.RecommenderModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterPlanTest {
  @Test
  void rolloutStateBecomesAValidRouterConfigWithBasisPointsAndBackends() {
    ExplorationExperiment xp = new ExplorationExperiment();
    xp.setMetadata(new ObjectMetaBuilder().withName("quickstart").withNamespace("demo").build());
    xp.setSpec(spec(List.of(arm("control", true, 50), arm("explore", false, 50))));
    RecommenderModel explore = new RecommenderModel();
    explore.setMetadata(new ObjectMetaBuilder().withName("explore").withNamespace("demo").build());
    RolloutState state = new RolloutState(RolloutState.PROGRESSING, 1, Instant.EPOCH,
        Map.of("control", 9000, "explore", 1000), null, null);

    RuntimeConfig config = RouterPlan.runtimeConfig(xp, state, Set.of("explore"), Map.of("explore", explore));

    assertThat(ConfigValidator.validate(config)).isEmpty();
    assertThat(RuntimeConfigs.parse(RuntimeConfigs.write(config))).isEqualTo(config);
    assertThat(config.router().salt()).isEqualTo("s");
    assertThat(config.router().arms())
        .extracting(ArmSettings::name, ArmSettings::weightBasisPoints, ArmSettings::reservedBasisPoints,
            ArmSettings::isReady, ArmSettings::backend)
        .containsExactly( // explore keeps its final 50% through the ramp; control owns the rest
            org.assertj.core.groups.Tuple.tuple("control", 9000, null, false, "http://control-recommender.demo.svc:8080"),
            org.assertj.core.groups.Tuple.tuple("explore", 1000, 5000, true, "http://explore-recommender.demo.svc:8080"));
    assertThat(RouterPlan.serverPlan(xp, config).pod().args()).containsExactly("router", "--config", "/etc/serendip/config.yaml");
    // Weights reach the pods by hot reload: the pod template does not change with the config, its revision does.
    assertThat(RouterPlan.serverPlan(xp, config).pod().configHash()).isNull();
    RolloutState later = new RolloutState(RolloutState.PROGRESSING, 2, Instant.EPOCH,
        Map.of("control", 5000, "explore", 5000), null, null);
    RuntimeConfig next = RouterPlan.runtimeConfig(xp, later, Set.of("explore"), Map.of("explore", explore));
    assertThat(config.router().revision()).isNotBlank()
        .isEqualTo(RouterPlan.runtimeConfig(xp, state, Set.of("explore"), Map.of("explore", explore)).router().revision())
        .isNotEqualTo(next.router().revision());
    assertThat(io.serendip.operator.workload.PodTemplates.build(xp, RouterPlan.serverPlan(xp, next).pod()))
        .isEqualTo(io.serendip.operator.workload.PodTemplates.build(xp, RouterPlan.serverPlan(xp, config).pod()));
  }

  @Test
  void aShadowBecomesTheRoutersMirrorWithItsShareBackendAndReadiness() {
    ExplorationExperiment xp = new ExplorationExperiment();
    xp.setMetadata(new ObjectMetaBuilder().withName("quickstart").withNamespace("demo").build());
    xp.setSpec(spec(List.of(arm("control", true, 50), arm("explore", false, 50))));
    var shadow = new io.serendip.operator.api.ExplorationExperimentSpec.Shadow();
    shadow.name = "candidate";
    shadow.recommenderRef = "sasrec-v3";
    shadow.mirrorPercent = 15;
    xp.getSpec().shadow = shadow;
    RolloutState state = new RolloutState(RolloutState.PROGRESSING, 1, Instant.EPOCH,
        Map.of("control", 9000, "explore", 1000), null, null);

    RuntimeConfig config = RouterPlan.runtimeConfig(xp, state, Set.of("explore"), Map.of());

    assertThat(ConfigValidator.validate(config)).isEmpty();
    assertThat(config.router().shadow()).isEqualTo(new io.serendip.config.ShadowSettings("candidate", 1500, 0.2,
        "http://sasrec-v3-recommender.demo.svc:8080", false)); // its model does not exist yet: nothing mirrored
    assertThat(ExplorationExperimentReconciler.recommenderRefs(xp)).containsExactly("control", "explore", "sasrec-v3");
  }
}
