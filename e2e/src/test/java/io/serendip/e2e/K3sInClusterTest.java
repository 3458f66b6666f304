package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;

/**
 * {@link QuickstartScenario} on a real k3s node: the operator and runtime images built by Jib are imported into
 * the node first.
 *
 * <p>Skipped, with {@link DockerEngine#SKIPPED} in the test report, where no Docker engine exists.
 * Where one does, it also needs network access for the k3s image, k3s's system images and the Jib base
 * image, MovieLens-100K under the shared datasets directory, and about 8 GiB of memory for the pods.
 */
@ExtendWith(DockerEngine.class)
@Testcontainers
class K3sInClusterTest {
  @Container
  static final K3sContainer K3S = K3sNode.container();

  @TempDir
  static Path dir;

  @Test
  void quickstartRunsInCluster() throws Exception {
    K3sNode node = new K3sNode(K3S, dir);
    Map<String, Path> images = JibImages.built();
    assertThat(images).containsKeys("serendip/runtime:" + QuickstartScenario.chartAppVersion(),
        "serendip/operator:" + QuickstartScenario.chartAppVersion());
    images.forEach(node::importImage);
    QuickstartScenario.run(node, dir);
  }
}
