package io.serendip.e2e;

import io.serendip.kube.local.LocalControlPlane;
import java.nio.file.Path;
import java.util.Map;

/**
 * One control plane with the real node per test JVM (the node's addresses are fixed, so there is one per
 * machine), Serendip's images imported once; stopped when the JVM exits, and by the control plane's own
 * watchdog if the JVM is killed. Test classes that use it isolate themselves by namespace.
 */
final class RealNode {
  private static LocalControlPlane cluster;
  private static Map<String, Path> images;

  private RealNode() {}

  static synchronized LocalControlPlane cluster() {
    if (cluster == null) {
      images = JibImages.built();
      LocalControlPlane started = LocalControlPlane.startWithRealNode();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "real-node-stop"));
      started.importImages(images.values().toArray(Path[]::new));
      cluster = started;
    }
    return cluster;
  }

  /** The imported image of a module ({@code runtime}, {@code operator}), as the archive tags it. */
  static synchronized String image(String module) {
    cluster();
    return images.keySet().stream().filter(ref -> ref.startsWith("serendip/" + module + ":")).findFirst()
        .orElseThrow(() -> new AssertionError("no serendip/" + module + " image among " + images.keySet()));
  }
}
