package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A single-node k3s cluster in a container, driven the way a user would: kubectl and helm through a
 * kubeconfig, images imported into the node's containerd, files placed on the node's disk.
 */
final class K3sNode {
  /** Kubernetes 1.34 as the local control plane; override with -Dserendip.k3s.image. */
  static final String IMAGE = System.getProperty("serendip.k3s.image", "rancher/k3s:v1.34.8-k3s1");

  private final K3sContainer container;
  private final Path kubeconfig;

  K3sNode(K3sContainer container, Path dir) {
    this.container = container;
    try {
      this.kubeconfig = Files.writeString(dir.resolve("k3s-kubeconfig.yaml"), container.getKubeConfigYaml());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static K3sContainer container() {
    return new K3sContainer(DockerImageName.parse(IMAGE));
  }

  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(container.getKubeConfigYaml())).build();
  }

  Command kubectl(String... args) {
    return Command.tool("kubectl", args).against(kubeconfig);
  }

  Command helm(String... args) {
    return Command.helm(args).against(kubeconfig);
  }

  /** Runs a program on the node (no shell involved); fails with its output unless it exits 0. */
  String exec(String... argv) {
    try {
      ExecResult r = container.execInContainer(argv);
      if (r.getExitCode() != 0) {
        throw new AssertionError(String.join(" ", argv) + " exited with " + r.getExitCode() + " on the k3s node\n"
            + r.getStdout() + r.getStderr());
      }
      return r.getStdout();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Imports an image tarball into the containerd namespace the kubelet uses; pods then find it locally. */
  void importImage(String reference, Path tarball) {
    String onNode = "/tmp/" + reference.replaceAll("[^A-Za-z0-9.-]", "_") + ".tar";
    container.copyFileToContainer(MountableFile.forHostPath(tarball), onNode);
    exec("ctr", "-n", "k8s.io", "images", "import", onNode);
    exec("rm", onNode);
    assertThat(exec("ctr", "-n", "k8s.io", "images", "ls", "-q").lines())
        .as("containerd on the k3s node holds %s", reference)
        .anyMatch(ref -> ref.endsWith("/" + reference));
  }

  /** Copies a host directory (recursively) to a path on the node's disk. */
  void copyDirectory(Path hostDir, String nodeDir) {
    container.copyFileToContainer(MountableFile.forHostPath(hostDir), nodeDir);
  }

  /** kubectl's view of the namespaces, their Events and the Serendip pods' logs, for a failure report. */
  String describe(String... namespaces) {
    StringBuilder out = new StringBuilder();
    for (String ns : namespaces) {
      for (String[] args : new String[][] {
          {"get", "serendip,deploy,svc,cm,job,pdb,pod", "-o", "wide"},
          {"describe", "serendip"},
          {"get", "events", "--sort-by=.lastTimestamp"},
          {"logs", "-l", "app.kubernetes.io/name=serendip", "--all-containers", "--prefix", "--tail=60",
              "--max-log-requests=30"}}) {
        Command.Result r = kubectl(args).args("-n", ns).run();
        out.append("$ kubectl ").append(String.join(" ", args)).append(" -n ").append(ns).append('\n')
            .append(r.stdout()).append(r.stderr()).append('\n');
      }
    }
    return out.toString();
  }
}
