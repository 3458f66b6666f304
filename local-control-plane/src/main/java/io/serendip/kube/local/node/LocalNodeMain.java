package io.serendip.kube.local.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LocalNode} until SIGTERM (the local demo): {@code LocalNodeMain <kubeconfig> <state dir>
 * <runtime jar> [node name]}. Prints the hosts file path once the node is registered.
 */
public final class LocalNodeMain {
  private LocalNodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: LocalNodeMain <kubeconfig> <state dir> <runtime jar> [node name]");
      System.exit(2);
    }
    Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    LocalNode node = LocalNode.start(client, new LocalNode.Options(args.length > 3 ? args[3] : "local-0",
        Path.of(args[1]), null, Path.of(args[2]), null, Runtime.getRuntime().availableProcessors() * 2, "16Gi"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      client.close();
      stopped.countDown();
    }, "local-node-stop"));
    System.out.println(node.hostsFile());
    System.out.flush();
    stopped.await();
  }
}
