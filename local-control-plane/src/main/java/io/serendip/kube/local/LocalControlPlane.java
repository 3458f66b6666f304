package io.serendip.kube.local;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane running as local processes: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and KWOK with two fake CPU nodes and two fake GPU nodes.
 *
 * <p>This is a thin Java shell over {@code hack/control-plane.sh}, which owns process management,
 * so the same control plane serves tests, the local demo and people at a terminal. Every instance
 * gets its own state directory and free ports; a watchdog tied to this JVM's pid tears it down even
 * when the JVM is killed.
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalControlPlane.class);

  /** Fake nodes that every local control plane has (see hack/control-plane.sh). */
  public static final List<String> CPU_NODES = List.of("kwok-cpu-0", "kwok-cpu-1");
  public static final List<String> GPU_NODES = List.of("kwok-gpu-0", "kwok-gpu-1");
  /** The real node of {@link #startWithRealNode()} (hack/node.sh): containerd, runc, kubelet, kube-proxy, CoreDNS. */
  public static final String REAL_NODE = "serendip-node";

  private final Path script;
  private final Path stateDir;
  private final Path kubeconfig;
  private final Duration startupTime;
  private volatile boolean stopped;

  private LocalControlPlane(Path script, Path stateDir, Path kubeconfig, Duration startupTime) {
    this.script = script;
    this.stateDir = stateDir;
    this.kubeconfig = kubeconfig;
    this.startupTime = startupTime;
  }

  /** Starts a fresh control plane in a new state directory; blocks until every component is healthy. */
  public static LocalControlPlane start() {
    return start("kwok");
  }

  /**
   * Starts a fresh control plane whose pods run on a real node ({@link #REAL_NODE}) beside KWOK's fake GPU
   * nodes; needs root. One real node at a time per machine: its addresses are fixed.
   */
  public static LocalControlPlane startWithRealNode() {
    return start("real");
  }

  private static LocalControlPlane start(String node) {
    Path repo = repositoryRoot();
    Path script = repo.resolve("hack/control-plane.sh");
    Path stateDir;
    try {
      stateDir = Files.createTempDirectory("serendip-cp-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long t0 = System.nanoTime();
    String out = run(script, List.of("up", "--dir", stateDir.toString(), "--node", node,
        "--owner-pid", Long.toString(ProcessHandle.current().pid())), Duration.ofMinutes(75));
    Path kubeconfig = Path.of(lastLine(out));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    LOG.info("local control plane up in {} ms at {}", took.toMillis(), stateDir);
    return new LocalControlPlane(script, stateDir, kubeconfig, took);
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path stateDir() {
    return stateDir;
  }

  public Duration startupTime() {
    return startupTime;
  }

  /** Directory holding kubectl, helm and the control-plane binaries. */
  public static Path binDir() {
    String override = System.getenv("SERENDIP_K8S_BIN");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String cache = System.getenv("SERENDIP_CACHE");
    Path root = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
            System.getProperty("user.home") + "/.cache"), "serendip");
    return root.resolve("k8s-" + kubernetesVersion()).resolve("bin");
  }

  static String kubernetesVersion() {
    try {
      for (String line : Files.readAllLines(repositoryRoot().resolve("hack/control-plane-versions.env"))) {
        if (line.startsWith("KUBERNETES_VERSION=")) {
          return line.substring("KUBERNETES_VERSION=".length()).trim();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("KUBERNETES_VERSION missing in hack/control-plane-versions.env");
  }

  /** A new Fabric8 client for this control plane; the caller closes it. */
  public KubernetesClient newClient() {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setRequestTimeout(30_000);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs kubectl against this control plane and returns its standard output; fails on non-zero exit. */
  public String kubectl(String... args) {
    return new KubectlResult(execute(kubectlCommand(args), null)).requireSuccess();
  }

  /** Runs kubectl with the given standard input and returns its result whatever the exit code. */
  public KubectlResult kubectlWithInput(String stdin, String... args) {
    return new KubectlResult(execute(kubectlCommand(args), stdin));
  }

  private List<String> kubectlCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binDir().resolve("kubectl").toString());
    cmd.add("--kubeconfig");
    cmd.add(kubeconfig.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Creates a namespace with a unique name starting with {@code prefix}. */
  public String createNamespace(KubernetesClient client, String prefix) {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    client.namespaces().resource(ns).create();
    return name;
  }

  /**
   * Stops one component (e.g. {@code kube-apiserver}) with SIGTERM and starts it again with the same
   * command line; returns once it is healthy. Clients reconnect by themselves, as after a real restart.
   */
  public void restart(String component) {
    run(script, List.of("restart", component, "--dir", stateDir.toString()), Duration.ofMinutes(2));
  }

  /** Verifies image archives (digests, architecture) and imports them into the real node's containerd. */
  public void importImages(Path... archives) {
    List<String> args = new ArrayList<>(List.of("import", "--dir", stateDir.resolve("node").toString()));
    for (Path archive : archives) {
      args.add(archive.toString());
    }
    run(script.resolveSibling("node.sh"), args, Duration.ofMinutes(5));
  }

  /**
   * SIGKILLs a container on the real node, as a crash would ({@code containerd://ID} or the bare ID, from the
   * pod's status); the kubelet restarts it by the pod's restart policy.
   */
  public void crash(String containerId) {
    signal(containerId, "SIGKILL");
  }

  /**
   * Freezes a container's process on the real node (SIGSTOP, which it cannot catch), as a deadlock or a stuck
   * native call would: it stops answering, and only its liveness probe gets it restarted.
   */
  public void hang(String containerId) {
    signal(containerId, "SIGSTOP");
  }

  private void signal(String containerId, String signal) {
    run(script.resolveSibling("node.sh"), List.of("kill", "--dir", stateDir.resolve("node").toString(),
        "--signal", signal, containerId), Duration.ofMinutes(1));
  }

  /** Restarts one of the real node's components ({@code containerd}, {@code kubelet}, {@code kube-proxy}). */
  public void restartNodeComponent(String component) {
    run(script.resolveSibling("node.sh"), List.of("restart", "--dir", stateDir.resolve("node").toString(), component),
        Duration.ofMinutes(2));
  }

  /** Whether every component process is alive and answers its health check. */
  public boolean healthy() {
    return execute(List.of(script.toString(), "status", "--dir", stateDir.toString()), null).exitCode == 0;
  }

  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    run(script, List.of("down", "--dir", stateDir.toString()), Duration.ofMinutes(1));
  }

  /** The repository root: system property {@code serendip.repo.dir}, else the nearest parent with hack/. */
  public static Path repositoryRoot() {
    String prop = System.getProperty("serendip.repo.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("hack/control-plane.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (hack/control-plane.sh); set -Dserendip.repo.dir");
  }

  private static String run(Path script, List<String> args, Duration timeout) {
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(args);
    ProcessResult r = execute(cmd, null, timeout);
    if (r.exitCode != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + r.exitCode
          + "\n" + r.stderr);
    }
    return r.stdout;
  }

  private static ProcessResult execute(List<String> cmd, String stdin) {
    return execute(cmd, stdin, Duration.ofMinutes(2));
  }

  private static ProcessResult execute(List<String> cmd, String stdin, Duration timeout) {
    try {
      Path err = Files.createTempFile("serendip-cmd-", ".err");
      Path out = Files.createTempFile("serendip-cmd-", ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        if (stdin == null) {
          pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
          try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeout);
        }
        return new ProcessResult(p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(err);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    }
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  record ProcessResult(int exitCode, String stdout, String stderr) {}

  /** Outcome of a kubectl invocation. */
  public static final class KubectlResult {
    private final ProcessResult result;

    KubectlResult(ProcessResult result) {
      this.result = result;
    }

    public int exitCode() {
      return result.exitCode;
    }

    public String stdout() {
      return result.stdout;
    }

    public String stderr() {
      return result.stderr;
    }

    public String requireSuccess() {
      if (result.exitCode != 0) {
        throw new IllegalStateException("kubectl failed (" + result.exitCode + "): " + result.stderr);
      }
      return result.stdout;
    }
  }
}
