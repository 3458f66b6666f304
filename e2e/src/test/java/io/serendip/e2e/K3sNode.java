package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.serendip.operator.workload.PodTemplates;
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
final class K3sNode implements QuickstartNode {
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

  @Override
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(container.getKubeConfigYaml())).build();
  }

  @Override
  public Command kubectl(String... args) {
    return Command.tool("kubectl", args).against(kubeconfig);
  }

  @Override
  public Command helm(String... args) {
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

  @Override
  public void provideStorage(String root, Path data, String under) {
    exec("mkdir", "-p", root);
    container.copyFileToContainer(MountableFile.forHostPath(data), root + "/" + under);
    exec("chown", "-R", PodTemplates.RUNTIME_UID + ":" + PodTemplates.RUNTIME_UID, root);
  }
}
