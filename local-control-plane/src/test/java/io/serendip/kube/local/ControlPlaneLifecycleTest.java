package io.serendip.kube.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A private control plane (not the shared one): start is idempotent and stop leaves no process behind. */
class ControlPlaneLifecycleTest {

  @Test
  void startIsIdempotentAndStopLeavesNoProcessBehind() throws IOException, InterruptedException {
    LocalControlPlane cp = LocalControlPlane.start();
    List<Long> pids = new ArrayList<>();
    try {
      assertThat(cp.healthy()).isTrue();
      for (String c : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")) {
        pids.add(Long.parseLong(Files.readString(cp.stateDir().resolve(c + ".pid")).strip()));
      }
      assertThat(pids).allSatisfy(pid -> assertThat(running(pid)).as("pid %d running", pid).isTrue());
      assertThat(cp.kubectl("get", "--raw", "/readyz")).isEqualTo("ok");

      // `up` on a running instance reuses it: same kubeconfig, same processes.
      Path script = LocalControlPlane.repositoryRoot().resolve("hack/control-plane.sh");
      Process again = new ProcessBuilder(script.toString(), "up", "--dir", cp.stateDir().toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(again.getInputStream().readAllBytes()).strip();
      assertThat(again.waitFor()).isZero();
      assertThat(out).isEqualTo(cp.kubeconfig().toString());
      assertThat(Long.parseLong(Files.readString(cp.stateDir().resolve("kube-apiserver.pid")).strip()))
          .isEqualTo(pids.get(1));
    } finally {
      cp.close();
    }
    for (long pid : pids) {
      assertThat(running(pid)).as("pid %d still running", pid).isFalse();
    }
    assertThat(Files.exists(cp.stateDir())).isFalse();
    assertThat(cp.healthy()).isFalse();
    cp.close(); // idempotent
  }

  @Test
  void watchdogTearsDownWhenTheOwnerIsKilled() throws Exception {
    Process owner = new ProcessBuilder("sleep", "600").start();
    Path dir = Files.createTempDirectory("serendip-cp-owned-");
    Path script = LocalControlPlane.repositoryRoot().resolve("hack/control-plane.sh");
    Process up = new ProcessBuilder(script.toString(), "up", "--dir", dir.toString(),
        "--owner-pid", Long.toString(owner.pid())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    up.getInputStream().readAllBytes();
    assertThat(up.waitFor()).isZero();
    long apiserver = Long.parseLong(Files.readString(dir.resolve("kube-apiserver.pid")).strip());
    long etcd = Long.parseLong(Files.readString(dir.resolve("etcd.pid")).strip());
    assertThat(running(apiserver)).isTrue();

    owner.destroyForcibly().waitFor(); // SIGKILL, as when a test JVM is killed

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(running(apiserver)).isFalse();
      assertThat(running(etcd)).isFalse();
      assertThat(dir).doesNotExist();
    });
  }

  /** Running = exists and is not a zombie (orphans are reaped by PID 1, possibly late). */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String s = Files.readString(stat);
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }
}
