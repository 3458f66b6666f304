package io.serendip.kube.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvironmentTest {
  @Test
  void resolvesLiteralsAndTheDownwardApiAsAKubeletDoes() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p-0").withNamespace("ns").withUid("u1")
        .addToAnnotations("batch.kubernetes.io/job-completion-index", "3").addToLabels("app", "x").endMetadata()
        .withNewSpec().withNodeName("local-0").endSpec().build();
    Container c = new ContainerBuilder()
        .addNewEnv().withName("HOME").withValue("/tmp").endEnv()
        .addNewEnv().withName("CACHE").withValue("$(HOME)/cache").endEnv()
        .addNewEnv().withName("JOB_COMPLETION_INDEX").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.annotations['batch.kubernetes.io/job-completion-index']").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
        .build();
    Map<String, String> env = ContainerEnvironment.of(pod, c, "127.77.0.9");
    assertThat(env).containsEntry("HOME", "/tmp").containsEntry("CACHE", "/tmp/cache")
        .containsEntry("JOB_COMPLETION_INDEX", "3").containsEntry("POD_IP", "127.77.0.9").containsEntry("APP", "x");
  }

  @Test
  void expandsArgsLikeKubernetes() {
    Map<String, String> env = Map.of("JOB_COMPLETION_INDEX", "1");
    assertThat(ContainerEnvironment.expand("$(JOB_COMPLETION_INDEX)/4", env)).isEqualTo("1/4");
    assertThat(ContainerEnvironment.expand("$(UNDEFINED)/4", env)).as("undefined stays as written").isEqualTo("$(UNDEFINED)/4");
    assertThat(ContainerEnvironment.expand("$$(JOB_COMPLETION_INDEX)", env)).as("$$ escapes").isEqualTo("$(JOB_COMPLETION_INDEX)");
    assertThat(ContainerEnvironment.expand("cost $5", env)).isEqualTo("cost $5");
  }

  @Test
  void runsOnlyTheRuntimeImage() {
    assertThat(RuntimeLauncher.runs("serendip/runtime:0.1.0")).isTrue();
    assertThat(RuntimeLauncher.runs("mirror.example:5000/team/serendip/runtime@sha256:abc")).isTrue();
    assertThat(RuntimeLauncher.runs("serendip/runtime")).isTrue();
    assertThat(RuntimeLauncher.runs("serendip/operator:0.1.0")).isFalse();
    assertThat(RuntimeLauncher.runs("curlimages/curl:8.11.1")).isFalse();
    assertThat(RuntimeLauncher.runs("evil/serendip/runtime-x:1")).isFalse();
  }
}
