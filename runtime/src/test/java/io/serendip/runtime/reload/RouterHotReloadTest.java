package io.serendip.runtime.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serendip.config.ArmSettings;
import io.serendip.config.RouterSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.runtime.router.ArmAssigner;
import io.serendip.runtime.router.RouterServerSpec;
import io.serendip.runtime.router.RouterState;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.testing.FakeArmBackend;
import io.serendip.runtime.testing.Http;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config hot reload through Kubernetes-style ConfigMap symlink swaps, under concurrent load. */
class RouterHotReloadTest {
    @TempDir
    Path mount;
    int revision;

    static RuntimeConfig config(int exploreWeight, String control, String explore) {
        return RuntimeConfig.router(new ServerSettings(0, null, null, 1), new RouterSettings("reload", "s", List.of(
                new ArmSettings("control", true, 10_000 - exploreWeight, 0.0, control, true),
                new ArmSettings("explore", false, exploreWeight, 0.2, explore, true)), null, null));
    }

    /** What the kubelet does: write a new timestamped dir, point ..data at it with an atomic rename. */
    void publish(String yaml) throws Exception {
        Path version = mount.resolve("..v" + (++revision));
        Files.createDirectory(version);
        Files.writeString(version.resolve("config.yaml"), yaml);
        Path tmp = mount.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path link = mount.resolve("config.yaml");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, Path.of("..data/config.yaml"));
        }
    }

    @Test
    void readyOnlyWhileTheControlArmIsReady() throws Exception {
        try (FakeArmBackend control = new FakeArmBackend("control"); FakeArmBackend explore = new FakeArmBackend("explore")) {
            RuntimeConfig notReady = RuntimeConfig.router(new ServerSettings(0, null, null, 1), new RouterSettings("ready", "s", List.of(
                    new ArmSettings("control", true, 5_000, 0.0, control.url(), false),
                    new ArmSettings("explore", false, 5_000, 0.2, explore.url(), true)), null, null));
            publish(RuntimeConfigs.write(notReady));
            ServerRuntime<RouterState> router = ServerRuntime.start(mount.resolve("config.yaml"), new RouterServerSpec(), 25);
            try {
                Http http = new Http(router.port());
                assertThat(http.get("/readyz").status()).as("control arm not ready: nothing can take fallbacks").isEqualTo(503);
                assertThat(http.get("/healthz").status()).isEqualTo(200);
                publish(RuntimeConfigs.write(config(5_000, control.url(), explore.url())));
                await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/readyz").status() == 200);
            } finally {
                router.close();
            }
        }
    }

    @Test
    void statsReportTheRevisionOfTheLoadedConfig() throws Exception {
        try (FakeArmBackend control = new FakeArmBackend("control"); FakeArmBackend explore = new FakeArmBackend("explore")) {
            RuntimeConfig first = config(1_000, control.url(), explore.url());
            publish(RuntimeConfigs.write(RuntimeConfig.router(first.server(), first.router().withRevision("r1"))));
            ServerRuntime<RouterState> router = ServerRuntime.start(mount.resolve("config.yaml"), new RouterServerSpec(), 25);
            try {
                Http http = new Http(router.port());
                assertThat(http.get("/v1/stats").json().getString("configRevision")).isEqualTo("r1");
                RuntimeConfig second = config(5_000, control.url(), explore.url());
                publish(RuntimeConfigs.write(RuntimeConfig.router(second.server(), second.router().withRevision("r2"))));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> "r2".equals(http.get("/v1/stats").json().getString("configRevision")));
            } finally {
                router.close();
            }
        }
    }

    @Test
    void eachUserCountsOnceAsAnAssignmentUnderEachLoadedConfig() throws Exception {
        try (FakeArmBackend control = new FakeArmBackend("control"); FakeArmBackend explore = new FakeArmBackend("explore")) {
            RuntimeConfig first = config(2_000, control.url(), explore.url());
            publish(RuntimeConfigs.write(RuntimeConfig.router(first.server(), first.router().withRevision("r1"))));
            ServerRuntime<RouterState> router = ServerRuntime.start(mount.resolve("config.yaml"), new RouterServerSpec(), 25);
            try {
                Http http = new Http(router.port());
                ArmAssigner assigner = new ArmAssigner(first.router().arms());
                long exploreUsers = java.util.stream.IntStream.range(0, 300)
                        .filter(u -> assigner.assign("s", "u" + u).name().equals("explore")).count();
                for (int round = 0; round < 3; round++) { // returning users are not new assignments
                    for (int u = 0; u < 300; u++) {
                        assertThat(http.post("/v1/recommend", "{\"user\":\"u" + u + "\"}").status()).isEqualTo(200);
                    }
                }
                JsonObject arms = http.get("/v1/stats").json().getJsonObject("arms");
                // The filter may take a new user for a seen one (1%), never the other way round.
                assertThat(arms.getJsonObject("explore").getLong("assignedUsers")).isBetween(exploreUsers - 3, exploreUsers);
                assertThat(arms.getJsonObject("control").getLong("assignedUsers")).isBetween(300 - exploreUsers - 3, 300 - exploreUsers);
                assertThat(arms.getJsonObject("control").getLong("requests") + arms.getJsonObject("explore").getLong("requests"))
                        .isEqualTo(900);

                // New weights: every returning user is an assignment under them again.
                RuntimeConfig second = config(5_000, control.url(), explore.url());
                publish(RuntimeConfigs.write(RuntimeConfig.router(second.server(), second.router().withRevision("r2"))));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> "r2".equals(http.get("/v1/stats").json().getString("configRevision")));
                for (int u = 0; u < 300; u++) {
                    http.post("/v1/recommend", "{\"user\":\"u" + u + "\"}");
                }
                JsonObject after = http.get("/v1/stats").json().getJsonObject("arms");
                long counted = after.getJsonObject("control").getLong("assignedUsers")
                        + after.getJsonObject("explore").getLong("assignedUsers")
                        - arms.getJsonObject("control").getLong("assignedUsers") - arms.getJsonObject("explore").getLong("assignedUsers");
                assertThat(counted).isBetween(294L, 300L);
            } finally {
                router.close();
            }
        }
    }

    @Test
    void reloadsUnderLoadWithoutFailedRequestsAndRefusesABadConfig() throws Exception {
        try (FakeArmBackend control = new FakeArmBackend("control"); FakeArmBackend explore = new FakeArmBackend("explore")) {
            publish(RuntimeConfigs.write(config(0, control.url(), explore.url())));
            ServerRuntime<RouterState> router = ServerRuntime.start(mount.resolve("config.yaml"), new RouterServerSpec(), 25);
            try {
                Http http = new Http(router.port());
                // Warm up (class loading, first connections) so the load overlaps every reload below.
                assertThat(http.post("/v1/recommend", "{\"user\":\"warm\"}").status()).isEqualTo(200);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger ok = new AtomicInteger();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                Thread[] clients = new Thread[2];
                for (int t = 0; t < clients.length; t++) {
                    int thread = t;
                    clients[t] = new Thread(() -> {
                        int i = 0;
                        while (!stop.get()) {
                            try {
                                Http.Reply reply = http.post("/v1/recommend", "{\"user\":\"t" + thread + "-" + (i++ % 500) + "\"}");
                                if (reply.status() == 200) {
                                    ok.incrementAndGet();
                                } else {
                                    failures.add(reply.status() + " " + reply.body());
                                }
                            } catch (RuntimeException e) {
                                failures.add(e + " caused by " + e.getCause());
                            }
                        }
                    });
                    clients[t].start();
                }
                int[] weights = {2000, 5000, 8000, 3000, 10_000};
                for (int weight : weights) {
                    int before = router.generations().version();
                    publish(RuntimeConfigs.write(config(weight, control.url(), explore.url())));
                    await().atMost(Duration.ofSeconds(10)).until(() -> router.generations().version() > before);
                    Thread.sleep(300);
                }
                // A config whose weights do not sum to 10000 is refused; the last good one keeps serving.
                int before = router.generations().version();
                publish(RuntimeConfigs.write(config(10_000, control.url(), explore.url())).replace("weightBasisPoints: 0", "weightBasisPoints: 500"));
                await().atMost(Duration.ofSeconds(10)).until(() -> router.watcher().refusedReloads() == 1.0);
                Thread.sleep(200);
                stop.set(true);
                for (Thread client : clients) {
                    client.join();
                }
                assertThat(failures).isEmpty();
                assertThat(ok.get()).isGreaterThan(20);
                assertThat(router.generations().version()).isEqualTo(before);
                assertThat(router.watcher().appliedReloads()).isEqualTo(5.0);
                // Last good config sends everyone to explore.
                int exploreBefore = explore.requests();
                for (int u = 0; u < 20; u++) {
                    assertThat(http.post("/v1/recommend", "{\"user\":\"after-" + u + "\"}").json().getString("arm")).isEqualTo("explore");
                }
                assertThat(explore.requests() - exploreBefore).isEqualTo(20);
                assertThat(http.get("/metrics").body()).contains("serendip_config_reloads_total{component=\"RouterConfig\",result=\"refused\"} 1.0");
            } finally {
                router.close();
            }
        }
    }
}
