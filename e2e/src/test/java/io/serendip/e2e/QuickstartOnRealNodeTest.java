package io.serendip.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.operator.workload.PodTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QuickstartScenario} on the local control plane's real node (containerd, runc, kubelet, kube-proxy,
 * CoreDNS; {@link RealNode}), where the images the build produced are already imported: the same steps as on
 * k3s, with no Docker engine. The node's disk is this machine's, so the examples' hostPath lives under a test
 * folder, and the chart's operator watches the quickstart's namespace only (other test classes share the node).
 */
class QuickstartOnRealNodeTest {
  @TempDir
  static Path dir;

  /** The quickstart's pods need most of the node's two cores: a serving stack left by another class goes first. */
  @BeforeAll
  static void freeTheNode() {
    ServingStack.takeDown();
  }

  @Test
  void quickstartRunsInClusterOnTheRealNode() throws Exception {
    LocalControlPlane cluster = RealNode.cluster();
    RealNodeDisk node = new RealNodeDisk(cluster, dir.resolve("node-disk"));
    try {
      QuickstartScenario.run(node, dir);
    } finally {
      // The node is shared with other test classes: nothing of this one stays behind.
      node.helm("uninstall", QuickstartScenario.RELEASE, "-n", QuickstartScenario.SYSTEM_NS, "--ignore-not-found",
          "--wait", "--timeout", "2m").timeout(Duration.ofMinutes(3)).run();
      node.kubectl("delete", "namespace", QuickstartScenario.NS, QuickstartScenario.SYSTEM_NS, "--ignore-not-found",
          "--wait=false").run();
    }
  }

  /** The real node as a {@link QuickstartNode}: its disk is this machine's, under {@code disk}. */
  private record RealNodeDisk(LocalControlPlane cluster, Path disk) implements QuickstartNode {
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
    public String hostPath(String examplePath) {
      return disk.resolve(examplePath.substring(1)).toString();
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
