package io.serendip.kube.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one container of a runtime pod as a local process, restarted with back-off when the pod's
 * restart policy asks for it. Not thread-safe: only the node's sync loop touches it.
 */
final class PodProcess {
  private static final HttpClient PROBES = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  final String uid;
  final String ip;
  final Instant scheduledAt = Instant.now();
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final boolean restartAlways;
  private final Integer probePort;
  private final String probePath;
  private Process process;
  private Instant startedAt;
  private Instant finishedAt;
  private Integer exitCode;
  private int restarts;
  private Instant nextStart = Instant.EPOCH;
  private boolean ready;
  private Instant terminatingSince;

  private PodProcess(String uid, String ip, List<String> command, Map<String, String> environment, Path log,
      boolean restartAlways, Integer probePort, String probePath) {
    this.uid = uid;
    this.ip = ip;
    this.command = command;
    this.environment = environment;
    this.log = log;
    this.restartAlways = restartAlways;
    this.probePort = probePort;
    this.probePath = probePath;
  }

  /** What the node's runtime launcher makes of the pod's container (command, environment, probe). */
  static PodProcess of(Pod pod, String ip, PodVolumes volumes, RuntimeLauncher launcher, Path podDir) {
    Container c = pod.getSpec().getContainers().get(0);
    String pathMap = volumes.pathMap(c);
    Map<String, String> env = new java.util.TreeMap<>(ContainerEnvironment.of(pod, c, ip));
    env.putAll(launcher.environment(pathMap, ip, memoryLimit(c)));
    List<String> command = new ArrayList<>(launcher.command());
    if (c.getArgs() != null) {
      c.getArgs().forEach(arg -> command.add(ContainerEnvironment.expand(arg, env)));
    }
    Integer port = null;
    String path = null;
    if (c.getReadinessProbe() != null && c.getReadinessProbe().getHttpGet() != null) {
      var get = c.getReadinessProbe().getHttpGet();
      path = get.getPath();
      port = get.getPort().getIntVal() != null ? get.getPort().getIntVal() : namedPort(c, get.getPort().getStrVal());
    }
    boolean always = !"Never".equals(pod.getSpec().getRestartPolicy()) && !"OnFailure".equals(pod.getSpec().getRestartPolicy());
    return new PodProcess(pod.getMetadata().getUid(), ip, List.copyOf(command), Map.copyOf(env),
        podDir.resolve("container.log"), always, port, path);
  }

  private static Integer namedPort(Container c, String name) {
    return c.getPorts() == null ? null : c.getPorts().stream().filter(p -> name.equals(p.getName()))
        .map(p -> p.getContainerPort()).findFirst().orElse(null);
  }

  private static long memoryLimit(Container c) {
    if (c.getResources() == null || c.getResources().getLimits() == null) {
      return 0;
    }
    Quantity q = c.getResources().getLimits().get("memory");
    return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
  }

  /** Starts, restarts after back-off, or notices an exit; probes readiness. Returns true when something changed. */
  boolean step() {
    boolean changed = false;
    if (process != null && !process.isAlive() && exitCode == null) {
      exitCode = process.exitValue();
      finishedAt = Instant.now();
      ready = false;
      changed = true;
      if (restartAlways && terminatingSince == null) {
        nextStart = Instant.now().plusSeconds(Math.min(30, 1L << Math.min(restarts, 5)));
      }
    }
    boolean shouldRun = process == null || (exitCode != null && restartAlways);
    if (terminatingSince == null && shouldRun && !Instant.now().isBefore(nextStart)) {
      if (process != null) {
        restarts++;
      }
      start();
      changed = true;
    }
    if (process != null && process.isAlive() && probePort != null) {
      boolean nowReady = probe();
      changed |= nowReady != ready;
      ready = nowReady;
    }
    return changed;
  }

  private void start() {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(environment);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    startedAt = Instant.now();
    finishedAt = null;
    exitCode = null;
    ready = false;
  }

  private boolean probe() {
    try {
      HttpResponse<Void> r = PROBES.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + probePort + probePath))
          .timeout(Duration.ofMillis(800)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() >= 200 && r.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM once (the server drains), SIGKILL after the grace period. Returns true once the process is gone. */
  boolean terminate(long graceSeconds) {
    if (terminatingSince == null) {
      terminatingSince = Instant.now();
      if (process != null && process.isAlive()) {
        process.destroy();
      }
    }
    if (process == null || !process.isAlive()) {
      return true;
    }
    if (Instant.now().isAfter(terminatingSince.plusSeconds(graceSeconds))) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return !process.isAlive();
    }
    return false;
  }

  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  boolean ready() {
    return ready;
  }

  /** Finished for good: a job pod whose process exited. */
  boolean completed() {
    return !restartAlways && exitCode != null;
  }

  Integer exitCode() {
    return exitCode;
  }

  int restarts() {
    return restarts;
  }

  Instant startedAt() {
    return startedAt;
  }

  Instant finishedAt() {
    return finishedAt;
  }

  boolean waitingToRestart() {
    return restartAlways && exitCode != null && terminatingSince == null;
  }

  Path log() {
    return log;
  }
}
