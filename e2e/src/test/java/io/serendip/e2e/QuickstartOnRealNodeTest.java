package io.serendip.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.S3Server;
import io.serendip.operator.workload.PodTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QuickstartScenario} on the local control plane's real node (containerd, runc, kubelet, kube-proxy,
 * CoreDNS; {@link RealNode}), where the images the build produced are already imported: the same steps as on
 * k3s, with no Docker engine: once with the artifacts on a claim of the node's default StorageClass (as published),
 * once in a bucket of a real S3-compatible server the pods reach on the node's host link. The node's disk is this
 * machine's, so the claim's local volume is filled from here. The chart's operator watches the quickstart's namespace
 * only (other test classes share the node).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartOnRealNodeTest {
  @TempDir
  static Path dir;

  /** The quickstart's pods need most of the node's two cores: a serving stack left by another class goes first. */
  @BeforeAll
  static void freeTheNode() {
    ServingStack.takeDown();
  }

  @Test
  @Order(1)
  void quickstartRunsInClusterOnTheRealNode() throws Exception {
    LocalControlPlane cluster = RealNode.cluster();
    RealNodeDisk node = new RealNodeDisk(cluster);
    try {
      QuickstartScenario.run(node, dir);
    } finally {
      takeDown(node);
    }
  }

  /**
   * Also evicts the recommender's training pod in its third epoch: the next pod resumes from the checkpoint the
   * evicted one left in the bucket, and its model is as good as the uninterrupted run's above.
   */
  @Test
  @Order(2)
  void quickstartRunsWithItsArtifactsInAnS3Bucket() throws Exception {
    LocalControlPlane cluster = RealNode.cluster();
    RealNodeDisk node = new RealNodeDisk(cluster);
    // on the node's host link, which pods reach (and nothing outside this machine does)
    String host = Command.of(LocalControlPlane.repositoryRoot().resolve("hack/node.sh").toString(), "host-ip").ok().strip();
    try (S3Server s3 = S3Server.start(host, List.of("serendip"), Map.of(
        QuickstartScenario.Storage.S3_URI.substring("s3://".length()) + "/datasets/ml-100k", QuickstartScenario.MOVIELENS))) {
      try {
        QuickstartScenario.run(node, dir, s3);
      } finally {
        takeDown(node);
      }
    }
  }

  /** The node is shared with other test classes: nothing of this one stays behind. */
  private static void takeDown(QuickstartNode node) {
    node.helm("uninstall", QuickstartScenario.RELEASE, "-n", QuickstartScenario.SYSTEM_NS, "--ignore-not-found",
        "--wait", "--timeout", "2m").timeout(Duration.ofMinutes(3)).run();
    node.kubectl("delete", "namespace", QuickstartScenario.NS, QuickstartScenario.SYSTEM_NS, "--ignore-not-found",
        "--wait=true", "--timeout=5m").timeout(Duration.ofMinutes(6)).run();
  }

  /** The real node as a {@link QuickstartNode}: its disk is this machine's. */
  private record RealNodeDisk(LocalControlPlane cluster) implements QuickstartNode {
    @Override
    public KubernetesClient client() {
      return cluster.newClient();
    }

    @Override
    public Command kubectl(String... args) {
      return Command.tool("kubectl", args).against(cluster);
    }

    @Override
    public Command helm(String... args) {
      return Command.helm(args).against(cluster);
    }

    @Override
    public void provideStorage(String root, Path data, String under) {
      Path target = Path.of(root).resolve(under);
      try {
        Files.createDirectories(target.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Command.of("cp", "-r", data.toString(), target.toString()).ok();
      Command.of("chown", "-R", PodTemplates.RUNTIME_UID + ":" + PodTemplates.RUNTIME_UID, root).ok();
    }

    @Override
    public String[] chartValues() {
      return List.of("--set", "watchNamespaces={" + QuickstartScenario.NS + "}").toArray(String[]::new);
    }
  }
}
