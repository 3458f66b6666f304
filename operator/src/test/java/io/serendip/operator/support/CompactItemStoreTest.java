package io.serendip.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.it.Crds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactItemStoreTest {
  private final CompactItemStore<Deployment> store = new CompactItemStore<>();

  @Test
  void keepsEveryFieldIncludingManagedFieldsAndUnknownOnes() {
    Deployment deployment = deployment("router", "1");
    deployment.getMetadata().setAdditionalProperty("futureField", Map.of("nested", 1));
    store.put(store.getKey(deployment), deployment);

    Deployment read = store.get("ns/router");
    assertThat(read).isEqualTo(deployment).isNotSameAs(deployment);
    assertThat(read.getMetadata().getManagedFields()).singleElement()
        .satisfies(f -> assertThat(f.getManager()).isEqualTo("serendip-operator"));
    assertThat(read.getMetadata().getAdditionalProperties()).containsEntry("futureField", Map.of("nested", 1));
  }

  @Test
  void putAndRemoveReturnThePreviousObjectAsInformersNeedForUpdateEvents() {
    assertThat(store.put("ns/router", deployment("router", "1"))).isNull();
    Deployment previous = store.put("ns/router", deployment("router", "2"));
    assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("1");
    assertThat(store.get("ns/router").getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(store.remove("ns/router").getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(store.get("ns/router")).isNull();
    assertThat(store.remove("ns/router")).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void listsKeysAndValues() {
    store.put("ns/a", deployment("a", "1"));
    store.put("ns/b", deployment("b", "1"));
    assertThat(store.keySet()).containsExactlyInAnyOrder("ns/a", "ns/b");
    assertThat(store.values()).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder("a", "b");
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.isFullState()).isTrue();
  }

  @Test
  void aCallerMutatingWhatItReadCannotChangeTheCache() {
    store.put("ns/router", deployment("router", "1"));
    store.get("ns/router").getSpec().setReplicas(99);
    assertThat(store.get("ns/router").getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void keepsCustomResourcesAsTheirOwnClass() throws IOException {
    CompactItemStore<ExplorationExperiment> experiments = new CompactItemStore<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    ExplorationExperiment experiment;
    try (InputStream in = Files.newInputStream(Crds.REPO.resolve("examples/quickstart/30-exploration-experiment.yaml"))) {
      experiment = serialization.unmarshal(in, ExplorationExperiment.class);
    }
    experiment.getMetadata().setNamespace("ns");
    experiments.put(experiments.getKey(experiment), experiment);
    ExplorationExperiment read = experiments.get("ns/" + experiment.getMetadata().getName());
    assertThat(read).isInstanceOf(ExplorationExperiment.class);
    // The spec classes have no equals(); the same JSON is the same object for the API server.
    assertThat(serialization.asJson(read)).isEqualTo(serialization.asJson(experiment)).contains("\"arms\"");
  }

  @Test
  void holdsADeploymentInFewerBytesThanItsJson() {
    Deployment deployment = deployment("router", "1");
    store.put("ns/router", deployment);
    int json = new KubernetesSerialization().asJson(deployment).length();
    assertThat(store.storedBytes()).isPositive().isLessThan(json);
  }

  private static Deployment deployment(String name, String resourceVersion) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace("ns").withResourceVersion(resourceVersion)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "serendip", "app.kubernetes.io/instance", name))
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("serendip-operator").withOperation("Apply")
            .withApiVersion("apps/v1").withFieldsType("FieldsV1")
            .withNewFieldsV1().addToAdditionalProperties("f:spec", Map.of("f:replicas", Map.of())).endFieldsV1()
            .build())
        .endMetadata()
        .withNewSpec().withReplicas(3)
        .withNewSelector().withMatchLabels(Map.of("app.kubernetes.io/instance", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app.kubernetes.io/instance", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("router").withImage("serendip-runtime:0.1.0")
        .withArgs("router", "--config", "/etc/serendip/config.yaml").endContainer().endSpec()
        .endTemplate().endSpec()
        .build();
  }
}
