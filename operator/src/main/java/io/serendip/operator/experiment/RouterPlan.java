package io.serendip.operator.experiment;

import io.serendip.config.ArmSettings;
import io.serendip.config.AssignmentSettings;
import io.serendip.config.CircuitBreakerSettings;
import io.serendip.config.FeedbackSettings;
import io.serendip.config.RouterSettings;
import io.serendip.config.ShadowSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.config.TimeoutSettings;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec;
import io.serendip.operator.api.ModelResources;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.recommender.RecommenderModelReconciler;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.ServerPlan;
import io.serendip.operator.workload.Workloads;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pure mapping from an experiment and its rollout state to the router's runtime config and pods. */
final class RouterPlan {
  private RouterPlan() {}

  static RuntimeConfig runtimeConfig(ExplorationExperiment xp, RolloutState state, Set<String> readyArms,
      Map<String, RecommenderModel> models) {
    var spec = xp.getSpec();
    var router = spec.router == null ? new ExplorationExperimentSpec.Router() : spec.router;
    String ns = xp.getMetadata().getNamespace();
    List<ArmSettings> arms = spec.arms.stream().map(a -> {
      String backend = backendUrl(a.recommenderRef, models, ns);
      // A treatment arm keeps its final weight's buckets through the ramp, so users only ever move into it.
      Integer reserved = Boolean.TRUE.equals(a.control) ? null : a.weight * 100;
      return new ArmSettings(a.name, a.control, state.basisPoints().get(a.name), reserved, a.explorationShare, backend,
          readyArms.contains(a.name));
    }).toList();
    RuntimeConfig unstamped = RuntimeConfig.router(new ServerSettings(PodTemplates.HTTP_PORT, null, null, null),
        new RouterSettings(xp.getMetadata().getName(), spec.assignment.salt, arms,
            new TimeoutSettings(router.connectTimeoutMillis, router.requestTimeoutMillis),
            new CircuitBreakerSettings(router.circuitBreakerFailures, null),
            new AssignmentSettings(spec.assignment.hashKey == ExplorationExperimentSpec.HashKey.header
                ? spec.assignment.hashKeyHeader : null, spec.assignment.overrideHeader), null,
            spec.shadow == null ? null : new ShadowSettings(spec.shadow.name, spec.shadow.mirrorPercent * 100,
                spec.shadow.explorationShare, backendUrl(spec.shadow.recommenderRef, models, ns),
                ExplorationExperimentReconciler.backendReady(models.get(spec.shadow.recommenderRef))),
            new FeedbackSettings(RouterFeedbackKey.KEY_FILE, router.feedbackWindowSeconds, null)));
    // The router reports the revision it serves, so the operator sees when a weight change is in effect.
    return RuntimeConfig.router(unstamped.server(),
        unstamped.router().withRevision(ContentHash.of(RuntimeConfigs.write(unstamped))));
  }

  /** The recommender Service a RecommenderModel serves behind (named by convention until the model exists). */
  private static String backendUrl(String recommenderRef, Map<String, RecommenderModel> models, String ns) {
    RecommenderModel m = models.get(recommenderRef);
    return m != null
        ? Workloads.serviceUrl(RecommenderModelReconciler.serverName(m), ns)
        : Workloads.serviceUrl(recommenderRef + "-" + RecommenderModelReconciler.COMPONENT, ns);
  }

  static ServerPlan serverPlan(ExplorationExperiment xp, RuntimeConfig config) {
    var router = xp.getSpec().router == null ? new ExplorationExperimentSpec.Router() : xp.getSpec().router;
    ModelResources resources = new ModelResources();
    resources.cpu = router.cpu;
    resources.memory = router.memory;
    String name = ExplorationExperimentReconciler.routerName(xp);
    String component = ExplorationExperimentReconciler.COMPONENT;
    // No config hash on the pod template: the router reloads its ConfigMap in place, so a weight step
    // does not restart (and reset) its pods.
    PodSpecInput pod = new PodSpecInput(component, List.of(component, "--config", PodTemplates.CONFIG_FILE),
        resources, router.pod, null, name + "-config", null, true, false, RouterFeedbackKey.secretName(xp));
    return new ServerPlan(name, config, pod, router.replicas);
  }}
