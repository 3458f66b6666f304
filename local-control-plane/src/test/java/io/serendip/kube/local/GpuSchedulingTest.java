package io.serendip.kube.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real scheduler places pods on KWOK's fake nodes by GPU resources, tolerations and labels. */
@WithLocalControlPlane
class GpuSchedulingTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String namespace;

  @BeforeAll
  static void createNamespace() {
    namespace = controlPlane.createNamespace(client, "gpu");
  }

  @Test
  void gpuPodLandsOnGpuNodeAndRuns() {
    create(deployment("one-gpu", 1, true));
    Pod pod = awaitScheduled("one-gpu");
    assertThat(pod.getSpec().getNodeName()).isIn(LocalControlPlane.GPU_NODES);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(podsOf("one-gpu").get(0).getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void cpuOnlyPodLandsOnCpuNode() {
    create(deployment("cpu-only", 0, false));
    Pod pod = awaitScheduled("cpu-only");
    // GPU nodes are tainted nvidia.com/gpu:NoSchedule, so a pod without the toleration avoids them.
    assertThat(pod.getSpec().getNodeName()).isIn(LocalControlPlane.CPU_NODES);
  }

  @Test
  void gpuProductSelectionPicksTheMatchingNode() {
    Deployment d = deployment("a100", 1, true);
    d.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB"));
    create(d);
    assertThat(awaitScheduled("a100").getSpec().getNodeName()).isEqualTo("kwok-gpu-1");
  }

  @Test
  void requestBeyondAnyNodeStaysUnschedulableWithFailedScheduling() {
    create(deployment("sixteen-gpus", 16, true));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      List<Pod> pods = podsOf("sixteen-gpus");
      assertThat(pods).hasSize(1);
      Pod pod = pods.get(0);
      assertThat(pod.getSpec().getNodeName()).isNull();
      assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("PodScheduled");
        assertThat(c.getReason()).isEqualTo("Unschedulable");
      });
      List<Event> events = client.v1().events().inNamespace(namespace)
          .withField("involvedObject.name", pod.getMetadata().getName()).list().getItems();
      assertThat(events).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("FailedScheduling");
        assertThat(e.getMessage()).contains("Insufficient nvidia.com/gpu");
      });
    });
  }

  private void create(Deployment d) {
    client.apps().deployments().inNamespace(namespace).resource(d).create();
  }

  private List<Pod> podsOf(String app) {
    return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
  }

  private Pod awaitScheduled(String app) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      List<Pod> pods = podsOf(app);
      return pods.size() == 1 && pods.get(0).getSpec().getNodeName() != null ? pods.get(0) : null;
    }, p -> p != null);
  }

  private static Deployment deployment(String name, int gpus, boolean tolerateGpuTaint) {
    DeploymentBuilder b = new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("main").withImage("serendip/runtime:test")
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .addToLimits(gpus > 0 ? Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus))) : Map.of())
        .endResources()
        .endContainer()
        .endSpec().endTemplate().endSpec();
    Deployment d = b.build();
    if (tolerateGpuTaint) {
      d.getSpec().getTemplate().getSpec().setTolerations(List.of(new io.fabric8.kubernetes.api.model.TolerationBuilder()
          .withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build()));
    }
    return d;
  }
}
