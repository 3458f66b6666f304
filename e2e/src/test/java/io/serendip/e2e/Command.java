package io.serendip.e2e;

import io.serendip.kube.local.LocalControlPlane;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real command-line tools (helm, kubectl, kubeconform, the kubectl plugin) as processes. */
final class Command {
  private final List<String> argv = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Duration timeout = Duration.ofMinutes(3);

  private Command(String executable) {
    argv.add(executable);
  }

  static Command of(String executable, String... args) {
    return new Command(executable).args(args);
  }

  /** A binary from the control plane's cache (helm, kubectl, kubeconform). */
  static Command tool(String name, String... args) {
    return of(LocalControlPlane.binDir().resolve(name).toString(), args);
  }

  static Command helm(String... args) {
    return tool("helm", args);
  }

  static Path repo() {
    return LocalControlPlane.repositoryRoot();
  }

  Command args(String... more) {
    argv.addAll(List.of(more));
    return this;
  }

  Command args(List<String> more) {
    argv.addAll(more);
    return this;
  }

  Command env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /**
   * KUBECONFIG for the control plane; kubectl and helm first on the PATH, then hack/ so that kubectl
   * discovers the kubectl-serendip plugin the way it would on a user's machine.
   */
  Command against(LocalControlPlane controlPlane) {
    return against(controlPlane.kubeconfig());
  }

  /** The same for any cluster reached through a kubeconfig file (e.g. a k3s node). */
  Command against(Path kubeconfig) {
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("PATH", LocalControlPlane.binDir() + File.pathSeparator + repo().resolve("hack")
        + File.pathSeparator + System.getenv("PATH"));
    return this;
  }

  Command timeout(Duration value) {
    timeout = value;
    return this;
  }

  Result run() {
    try {
      Path out = Files.createTempFile("serendip-e2e-", ".out");
      Path err = Files.createTempFile("serendip-e2e-", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo().toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", argv) + " timed out after " + timeout);
        }
        return new Result(String.join(" ", argv), p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + argv, e);
    }
  }

  /** Runs and returns standard output; fails with both streams when the exit code is not 0. */
  String ok() {
    return run().requireSuccess();
  }

  record Result(String command, int exitCode, String stdout, String stderr) {
    String requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(command + " exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return stdout;
    }
  }
}
