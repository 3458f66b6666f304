package io.serendip.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The Helm chart under helm/serendip, rendered by the real helm binary. */
final class Chart {
  static final String DIR = "helm/serendip";
  /** The Kubernetes version of the local control plane; the chart requires >= 1.29. */
  static final String KUBE_VERSION = "1.34.4";
  /** Every optional feature on. */
  static final List<String> ALL_FEATURES = List.of(
      "--set", "metrics.serviceMonitor.enabled=true",
      "--set", "metrics.podMonitor.enabled=true",
      "--set", "networkPolicy.enabled=true",
      "--set", "grafanaDashboard.enabled=true");

  private Chart() {}

  /** helm template, including the test hook; throws with helm's message when rendering fails. */
  static List<JsonNode> render(String release, String namespace, List<String> extraArgs) {
    return Manifests.parse(template(release, namespace, extraArgs).requireSuccess());
  }

  static Command.Result template(String release, String namespace, List<String> extraArgs) {
    List<String> args = new ArrayList<>(List.of("template", release, DIR, "--namespace", namespace,
        "--kube-version", KUBE_VERSION));
    args.addAll(extraArgs);
    return Command.helm().args(args).run();
  }
}
