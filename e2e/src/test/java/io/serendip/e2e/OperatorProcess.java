package io.serendip.e2e;

import io.serendip.kube.local.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator as its own JVM (OperatorMain, this module's test class path), so it can be killed with
 * SIGKILL, with Service names resolved through a hosts file ({@link io.serendip.kube.local.ClusterIpHosts}),
 * as in-cluster DNS would, and its pods running {@code runtimeImage}.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static OperatorProcess start(LocalControlPlane cp, Path hostsFile, String runtimeImage, String namespace, Path log) {
    ProcessBuilder pb = new ProcessBuilder(List.of(RuntimeJar.java().toString(),
        "-Djdk.net.hosts.file=" + hostsFile, "-Dsun.net.inetaddr.ttl=1", "-Dsun.net.inetaddr.negative.ttl=0",
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.serendip.operator.OperatorMain"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("KUBECONFIG", cp.kubeconfig().toString());
    pb.environment().put("SERENDIP_WATCH_NAMESPACES", namespace);
    pb.environment().put("SERENDIP_HTTP_PORT", "0");
    pb.environment().put("SERENDIP_RUNTIME_IMAGE", runtimeImage);
    try {
      return new OperatorProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no graceful stop, as when a node dies. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the operator stays alive but reconciles nothing until {@link #thaw()}, as in a long GC pause. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
