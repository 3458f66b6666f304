package io.serendip.kube.local.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the local node runs the runtime image: {@code java -jar serendip-runtime.jar} with the pod's
 * args, its mounts in {@code SERENDIP_PATH_MAP}, its address in {@code SERENDIP_HTTP_HOST}, and JVM
 * options that resolve Service names through the node's hosts file (JDK resolver, short TTL).
 */
final class RuntimeLauncher {
  /** Images this node can run: the runtime image, any registry and tag. */
  static boolean runs(String image) {
    String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = repository.lastIndexOf('/');
    int colon = repository.lastIndexOf(':');
    if (colon > slash) {
      repository = repository.substring(0, colon);
    }
    return repository.equals("serendip/runtime") || repository.endsWith("/serendip/runtime");
  }

  private final Path java;
  private final Path runtimeJar;
  private final Path hostsFile;

  RuntimeLauncher(Path java, Path runtimeJar, Path hostsFile) {
    this.java = java;
    this.runtimeJar = runtimeJar;
    this.hostsFile = hostsFile;
  }

  List<String> command() {
    return List.of(java.toString(), "-jar", runtimeJar.toString());
  }

  Map<String, String> environment(String pathMap, String ip, long memoryLimitBytes) {
    Map<String, String> env = new TreeMap<>();
    String path = System.getenv("PATH");
    env.put("PATH", path == null ? "/usr/bin:/bin" : path);
    env.put("SERENDIP_PATH_MAP", pathMap);
    env.put("SERENDIP_HTTP_HOST", ip);
    // Half the memory limit for the heap leaves room for the engines' native memory, as in the image.
    long heapMiB = memoryLimitBytes > 0 ? Math.max(128, memoryLimitBytes / 2 / (1 << 20)) : 512;
    env.put("JAVA_TOOL_OPTIONS", String.join(" ",
        "-Xmx" + heapMiB + "m",
        "-XX:+UseSerialGC",
        "-Djdk.net.hosts.file=" + hostsFile,
        "-Dsun.net.inetaddr.ttl=1",
        "-Dsun.net.inetaddr.negative.ttl=0",
        "-Dvertx.disableDnsResolver=true"));
    return env;
  }
}
