package io.serendip.kube.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
      assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true));
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
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      assertThat(h.map(ProcessHandle::isAlive).orElse(false)).as("pid %d still alive", pid).isFalse();
    }
    assertThat(Files.exists(cp.stateDir())).isFalse();
    assertThat(cp.healthy()).isFalse();
    cp.close(); // idempotent
  }
}
