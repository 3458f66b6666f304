package io.serendip.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * A one-node cluster the quickstart runs on as a user would run it: kubectl and helm through a kubeconfig, the
 * Serendip images already on the node, a default StorageClass whose volumes' folders can be filled from here.
 */
interface QuickstartNode {
  KubernetesClient client();

  Command kubectl(String... args);

  Command helm(String... args);

  /**
   * Puts a copy of the host folder {@code data} at {@code root/under} on the node's disk ({@code root}: a
   * volume's folder there), owned by the runtime user as the pods' fsGroup would make it.
   */
  void provideStorage(String root, Path data, String under);

  /** Chart values this node needs beyond the defaults (e.g. the namespaces its operator may watch). */
  default String[] chartValues() {
    return new String[0];
  }

  /** kubectl's view of the namespaces, their Events and the Serendip pods' logs, for a failure report. */
  default String describe(String... namespaces) {
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
