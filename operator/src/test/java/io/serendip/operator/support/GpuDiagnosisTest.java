package io.serendip.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuDiagnosisTest {
  private static final String MESSAGE = "0/4 nodes are available: 2 Insufficient nvidia.com/gpu, 2 node(s) had untolerated taint.";

  @Test
  void unschedulableGpuPodIsReportedWithTheSchedulerMessage() {
    assertThat(GpuDiagnosis.unschedulableGpuPod(List.of(pod("a", true, "Unschedulable"))))
        .contains("pod a: " + MESSAGE);
  }

  @Test
  void cpuPodsAndScheduledPodsAreNotAGpuShortage() {
    assertThat(GpuDiagnosis.unschedulableGpuPod(List.of(pod("cpu", false, "Unschedulable")))).isEmpty();
    assertThat(GpuDiagnosis.unschedulableGpuPod(List.of(pod("ok", true, null)))).isEmpty();
  }

  private static Pod pod(String name, boolean gpu, String unschedulableReason) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("server").withNewResources()
        .withLimits(gpu ? Map.of("nvidia.com/gpu", new Quantity("1")) : Map.of("memory", new Quantity("1Gi")))
        .endResources().endContainer().endSpec();
    if (unschedulableReason != null) {
      b.withNewStatus().addNewCondition().withType("PodScheduled").withStatus("False")
          .withReason(unschedulableReason).withMessage(MESSAGE).endCondition().endStatus();
    } else {
      b.withNewStatus().addNewCondition().withType("PodScheduled").withStatus("True").endCondition().endStatus();
    }
    return b.build();
  }
}
