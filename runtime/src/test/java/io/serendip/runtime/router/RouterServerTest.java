package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serendip.config.ArmSettings;
import io.serendip.config.AssignmentSettings;
import io.serendip.config.CircuitBreakerSettings;
import io.serendip.config.RouterSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.config.TimeoutSettings;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.testing.FakeArmBackend;
import io.serendip.runtime.testing.Http;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterServerTest {
    @TempDir
    Path dir;
    FakeArmBackend control;
    FakeArmBackend explore;
    ServerRuntime<RouterState> router;

    @BeforeEach
    void backends() throws Exception {
        control = new FakeArmBackend("control");
        explore = new FakeArmBackend("explore");
    }

    @AfterEach
    void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        control.close();
        explore.close();
    }

    static RuntimeConfig config(int exploreWeight, String exploreUrl, boolean exploreReady, String controlUrl) {
        return RuntimeConfig.router(new ServerSettings(0, 4096, 50, 2), new RouterSettings("quickstart", "2026-11", List.of(
                new ArmSettings("control", true, 10_000 - exploreWeight, 0.0, controlUrl, true),
                new ArmSettings("explore", false, exploreWeight, 0.25, exploreUrl, exploreReady)),
                new TimeoutSettings(200, 1000), new CircuitBreakerSettings(3, 60_000)));
    }

    Path write(RuntimeConfig config) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, RuntimeConfigs.write(config));
        return file;
    }

    Http start(RuntimeConfig config) throws Exception {
        router = ServerRuntime.start(write(config), new RouterServerSpec(), 0);
        return new Http(router.port());
    }

    static String recommend(String user) {
        return new JsonObject().put("user", user).put("history", List.of("1", "2")).encode();
    }

    @Test
    void forwardsToTheAssignedArmWithItsExplorationShareAndCounts() throws Exception {
        Http http = start(config(5000, explore.url(), true, control.url()));
        Map<String, Integer> served = new HashMap<>();
        for (int u = 0; u < 400; u++) {
            Http.Reply reply = http.post("/v1/recommend", recommend("user-" + u));
            assertThat(reply.status()).isEqualTo(200);
            JsonObject json = reply.json();
            assertThat(json.getString("arm")).isEqualTo(json.getString("backend"));
            assertThat(json.getString("assignedArm")).isEqualTo(json.getString("arm"));
            String expectedArm = new ArmAssigner(config(5000, "http://x", true, "http://y").router().arms())
                    .assign("2026-11", "user-" + u).name();
            assertThat(json.getString("arm")).isEqualTo(expectedArm);
            assertThat(json.getDouble("exploration")).isEqualTo(expectedArm.equals("explore") ? 0.25 : 0.0);
            served.merge(json.getString("arm"), 1, Integer::sum);
        }
        assertThat(served.get("control")).isBetween(150, 250);
        JsonObject stats = http.get("/v1/stats").json();
        assertThat(stats.getString("experiment")).isEqualTo("quickstart");
        assertThat(stats.getJsonObject("arms").getJsonObject("control").getLong("requests")).isEqualTo((long) served.get("control"));
        assertThat(stats.getJsonObject("arms").getJsonObject("explore").getLong("requests")).isEqualTo((long) served.get("explore"));
        assertThat(stats.getJsonObject("arms").getJsonObject("explore").getJsonObject("latencyMs").getDouble("p99")).isPositive();
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("serendip_router_requests_total{").contains("arm=\"explore\"")
                .contains("serendip_router_latency_seconds_bucket");
    }

    @Test
    void aKeyHeaderIsHashedInsteadOfTheUserAndAnOverrideHeaderForcesAnArmOutsideTheCounts() throws Exception {
        RuntimeConfig base = config(5000, explore.url(), true, control.url());
        RouterSettings r = base.router();
        Http http = start(RuntimeConfig.router(base.server(), new RouterSettings(r.experiment(), r.salt(), r.arms(),
                r.timeouts(), r.circuitBreaker(), new AssignmentSettings("X-Device-Id", "X-Serendip-Arm"), null)));
        ArmAssigner assigner = new ArmAssigner(r.arms());
        for (int d = 0; d < 60; d++) {
            // The same body user on every request: only the device id decides.
            Http.Reply reply = http.post("/v1/recommend", recommend("one-user"), "X-Device-Id", "device-" + d);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("assignedArm")).isEqualTo(assigner.assign("2026-11", "device-" + d).name());
        }
        assertThat(http.post("/v1/recommend", recommend("u-7")).json().getString("assignedArm"))
                .as("no header: the body's user").isEqualTo(assigner.assign("2026-11", "u-7").name());

        JsonObject before = http.get("/v1/stats").json().getJsonObject("arms");
        String controlUser = java.util.stream.IntStream.range(0, 1000).mapToObj(u -> "u" + u)
                .filter(u -> assigner.assign("2026-11", u).name().equals("control")).findFirst().orElseThrow();
        for (int i = 0; i < 5; i++) {
            Http.Reply forced = http.post("/v1/recommend", recommend(controlUser), "X-Serendip-Arm", "explore");
            assertThat(forced.status()).isEqualTo(200);
            assertThat(forced.json().getString("arm")).isEqualTo("explore");
        }
        JsonObject after = http.get("/v1/stats").json().getJsonObject("arms");
        assertThat(after.getJsonObject("explore").getLong("overrides")).isEqualTo(5);
        assertThat(after.getJsonObject("explore").getLong("requests"))
                .as("QA requests stay out of the experiment's counts")
                .isEqualTo(before.getJsonObject("explore").getLong("requests"));
        assertThat(after.getJsonObject("explore").getLong("assignedUsers") + after.getJsonObject("control").getLong("assignedUsers"))
                .as("nor in the assignment counts")
                .isEqualTo(before.getJsonObject("explore").getLong("assignedUsers") + before.getJsonObject("control").getLong("assignedUsers"));
        Http.Reply forced = http.post("/v1/recommend", recommend(controlUser), "X-Serendip-Arm", "explore");
        assertThat(http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore").getLong("impressions"))
                .as("nor are its slates' impressions")
                .isEqualTo(before.getJsonObject("explore").getLong("impressions"));
        Http.Reply event = http.post("/v1/events", click(forced.json().getString("requestId"), "1", false));
        assertThat(event.status()).isEqualTo(202);
        assertThat(event.json().getBoolean("counted")).isFalse();
        assertThat(http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore").getLong("positiveFeedback"))
                .isZero();

        Http.Reply unknown = http.post("/v1/recommend", recommend("u1"), "X-Serendip-Arm", "nope");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("message")).contains("X-Serendip-Arm: unknown arm nope");
        Http.Reply tooLong = http.post("/v1/recommend", recommend("u1"), "X-Device-Id", "d".repeat(300));
        assertThat(tooLong.status()).isEqualTo(400);
    }

    @Test
    void aShadowGetsItsShareOfRequestsMirroredAndMeteredWhileClientsGetTheirArmsAnswers() throws Exception {
        try (FakeArmBackend shadow = new FakeArmBackend("shadow")) {
            RuntimeConfig base = config(5000, explore.url(), true, control.url());
            RouterSettings r = base.router();
            Http http = start(RuntimeConfig.router(base.server(), new RouterSettings(r.experiment(), r.salt(), r.arms(),
                    r.timeouts(), r.circuitBreaker(), null, null,
                    new io.serendip.config.ShadowSettings("candidate", 5000, 0.25, shadow.url(), true))));
            for (int u = 0; u < 400; u++) {
                Http.Reply reply = http.post("/v1/recommend", recommend("user-" + u));
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.json().getString("backend")).isIn("control", "explore");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject candidate = http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("candidate");
                // half of the requests, drawn at random: 200 +- 10 sigma
                assertThat(candidate.getLong("requests")).isBetween(100L, 300L).isEqualTo(shadow.requests());
                assertThat(candidate.getLong("impressions")).isEqualTo(2 * candidate.getLong("requests"));
                assertThat(candidate.getLong("explorationImpressions")).isEqualTo(candidate.getLong("requests"));
                assertThat(candidate.getLong("exploredNovel")).isEqualTo(candidate.getLong("requests"));
                assertThat(candidate.getLong("errors")).isZero();
                assertThat(candidate.getJsonObject("latencyMs").getDouble("p99")).isPositive();
            });
            JsonObject stats = http.get("/v1/stats").json();
            assertThat(stats.getString("shadow")).isEqualTo("candidate");
            assertThat(stats.getJsonObject("arms").getJsonObject("control").getLong("requests")
                    + stats.getJsonObject("arms").getJsonObject("explore").getLong("requests"))
                    .as("mirrored requests are the arms' too, counted once each").isEqualTo(400);

            // A failing shadow costs clients nothing: its errors are its own.
            shadow.failing(true);
            for (int u = 0; u < 100; u++) {
                assertThat(http.post("/v1/recommend", recommend("again-" + u)).status()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.get("/v1/stats").json()
                    .getJsonObject("arms").getJsonObject("candidate").getLong("errors")).isPositive());
            assertThat(http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("control").getLong("errors"))
                    .isZero();
        }
    }

    @Test
    void withoutAnOverrideHeaderConfiguredTheHeaderIsIgnored() throws Exception {
        Http http = start(config(5000, explore.url(), true, control.url()));
        ArmAssigner assigner = new ArmAssigner(config(5000, "http://x", true, "http://y").router().arms());
        for (int u = 0; u < 20; u++) {
            assertThat(http.post("/v1/recommend", recommend("u" + u), "X-Serendip-Arm", "explore").json()
                    .getString("arm")).isEqualTo(assigner.assign("2026-11", "u" + u).name());
        }
    }

    @Test
    void assignmentIsStableAcrossRouterRestarts() throws Exception {
        Http http = start(config(5000, explore.url(), true, control.url()));
        Map<String, String> first = new HashMap<>();
        for (int u = 0; u < 100; u++) {
            first.put("u" + u, http.post("/v1/recommend", recommend("u" + u)).json().getString("arm"));
        }
        router.close();
        router = null;
        Http restarted = start(config(5000, explore.url(), true, control.url()));
        for (int u = 0; u < 100; u++) {
            assertThat(restarted.post("/v1/recommend", recommend("u" + u)).json().getString("arm")).isEqualTo(first.get("u" + u));
        }
    }

    @Test
    void fallsBackToControlWhenAnArmIsDownAndCountsIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Http http = start(config(10_000 - 1, "http://127.0.0.1:" + closedPort, true, control.url()));
        int exploreUsers = 0;
        for (int u = 0; u < 50; u++) {
            Http.Reply reply = http.post("/v1/recommend", recommend("user-" + u));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("arm")).isEqualTo("control");
            exploreUsers += "explore".equals(reply.json().getString("assignedArm")) ? 1 : 0;
        }
        JsonObject exploreStats = http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore");
        assertThat(exploreStats.getLong("fallbacks")).isEqualTo(exploreUsers);
        // The breaker opens after 3 failures; later requests go straight to control but still count as errors.
        assertThat(exploreStats.getLong("errors")).isEqualTo(exploreUsers);
        assertThat(exploreUsers).isGreaterThan(45);
    }

    @Test
    void failingBackendWith5xxFallsBackToo() throws Exception {
        explore.failing(true);
        Http http = start(config(10_000, explore.url(), true, control.url()));
        for (int u = 0; u < 10; u++) {
            Http.Reply reply = http.post("/v1/recommend", recommend("user-" + u));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("arm")).isEqualTo("control");
        }
        assertThat(explore.requests()).as("breaker opened after 3 failures").isEqualTo(3);
        assertThat(http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore").getLong("fallbacks")).isEqualTo(10);
    }

    @Test
    void neverRoutesToANotReadyArm() throws Exception {
        Http http = start(config(10_000, explore.url(), false, control.url()));
        for (int u = 0; u < 200; u++) {
            Http.Reply reply = http.post("/v1/recommend", recommend("user-" + u));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("arm")).isEqualTo("control");
            assertThat(reply.json().getString("assignedArm")).isEqualTo("explore");
        }
        assertThat(explore.requests()).isZero();
        assertThat(control.requests()).isEqualTo(200);
    }

    static String click(String requestId, String item, boolean explored) {
        return event(requestId, "click", item, explored);
    }

    static String event(String requestId, String type, String item, boolean explored) {
        return new JsonObject().put("requestId", requestId).put("type", type)
                .put("items", List.of(new JsonObject().put("id", item).put("explored", explored))).encode();
    }

    /** A user the config assigns to {@code arm}. */
    static String userOf(String arm) {
        ArmAssigner assigner = new ArmAssigner(config(5000, "http://x", true, "http://y").router().arms());
        return java.util.stream.IntStream.range(0, 1000).mapToObj(u -> "u" + u)
                .filter(u -> assigner.assign("2026-11", u).name().equals(arm)).findFirst().orElseThrow();
    }

    @Test
    void servedSlatesAreTheImpressionsAndFeedbackMustNameAServedRequestOnce() throws Exception {
        Http http = start(config(5000, explore.url(), true, control.url()));
        Http.Reply served = http.post("/v1/recommend", recommend(userOf("explore")));
        String requestId = served.json().getString("requestId");
        assertThat(served.header("X-Serendip-Request-Id")).isEqualTo(requestId);
        http.post("/v1/recommend", recommend(userOf("explore")));
        JsonObject arm = http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore");
        assertThat(arm.getLong("impressions")).as("two slates of two items").isEqualTo(4);
        assertThat(arm.getLong("explorationImpressions")).isEqualTo(2);
        assertThat(arm.getLong("exploredNovel")).isEqualTo(2);

        Http.Reply clicked = http.post("/v1/events", click(requestId, "2", true));
        assertThat(clicked.status()).isEqualTo(202);
        assertThat(clicked.json().getString("arm")).isEqualTo("explore");
        assertThat(clicked.json().getBoolean("counted")).isTrue();
        assertThat(http.post("/v1/events", event(requestId, "skip", "1", false)).status()).isEqualTo(202);
        Http.Reply replay = http.post("/v1/events", click(requestId, "2", true));
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().getString("error")).isEqualTo("already_counted");
        assertThat(http.post("/v1/events", event(requestId, "like", "2", true)).status())
                .as("an item counts once as positive feedback").isEqualTo(409);

        String forged = requestId.substring(0, requestId.indexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA";
        for (String bad : List.of("nope", forged, requestId.replace('.', '-'), "")) {
            Http.Reply unknown = http.post("/v1/events", click(bad, "1", false));
            assertThat(unknown.status()).as(bad).isIn(400);
        }
        Http.Reply impression = http.post("/v1/events", event(requestId, "impression", "1", false));
        assertThat(impression.status()).isEqualTo(400);
        assertThat(impression.json().getString("message")).contains("counted by the router");
        String threeItems = new JsonObject().put("requestId", requestId).put("type", "click").put("items", List.of(
                new JsonObject().put("id", "7"), new JsonObject().put("id", "8"), new JsonObject().put("id", "9"))).encode();
        assertThat(http.post("/v1/events", threeItems).json().getString("message")).contains("the slate held 2 items");
        Http.Reply twice = http.post("/v1/events", new JsonObject().put("requestId", requestId).put("type", "skip")
                .put("items", List.of(new JsonObject().put("id", "7"), new JsonObject().put("id", "7"))).encode());
        assertThat(twice.status()).isEqualTo(400);
        Http.Reply controlSlate = http.post("/v1/recommend", recommend(userOf("control")));
        Http.Reply exploredOnControl = http.post("/v1/events", click(controlSlate.json().getString("requestId"), "1", true));
        assertThat(exploredOnControl.json().getString("message")).contains("the slate held 0 explored items");
        Http.Reply wrongArm = http.post("/v1/events", new JsonObject().put("requestId", requestId).put("arm", "control")
                .put("type", "skip").put("items", List.of(new JsonObject().put("id", "7"))).encode());
        assertThat(wrongArm.json().getString("message")).contains("served by arm explore");

        arm = http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore");
        assertThat(arm.getLong("positiveFeedback")).as("refused events count nothing").isEqualTo(1);
        assertThat(arm.getLong("exploredPositiveFeedback")).isEqualTo(1);
        assertThat(arm.getLong("skips")).isEqualTo(1);
        assertThat(http.get("/metrics").body())
                .contains("outcome=\"already_counted\"} 2.0")
                .contains("outcome=\"counted\"} 2.0");
    }

    /**
     * Two replicas with one key: feedback reaching the replica that did not serve the slate goes to the one that did,
     * so a replay is caught whichever replica it reaches; once that replica is gone, the other counts it.
     */
    @Test
    void feedbackOnAnotherReplicasSlateGoesToThatReplica() throws Exception {
        Path key = dir.resolve("key");
        Files.write(key, RequestIds.randomKey());
        RuntimeConfig base = config(5000, explore.url(), true, control.url());
        RouterSettings r = base.router();
        RuntimeConfig shared = RuntimeConfig.router(base.server(), new RouterSettings(r.experiment(), r.salt(), r.arms(),
                r.timeouts(), r.circuitBreaker(), null, null, null,
                new io.serendip.config.FeedbackSettings(key.toString(), null, null)));
        Http first = start(shared);
        Path otherConfig = dir.resolve("other.yaml");
        Files.writeString(otherConfig, RuntimeConfigs.write(shared));
        try (ServerRuntime<RouterState> other = ServerRuntime.start(otherConfig, new RouterServerSpec(), 0)) {
            Http second = new Http(other.port());
            String user = userOf("explore");
            String a = first.post("/v1/recommend", recommend(user)).json().getString("requestId");
            String b = first.post("/v1/recommend", recommend(user)).json().getString("requestId");
            String c = first.post("/v1/recommend", recommend(user)).json().getString("requestId");
            int firstPort = router.port();

            assertThat(second.post("/v1/events", click(a, "2", true)).status()).isEqualTo(202);
            assertThat(first.post("/v1/events", click(a, "2", true)).status()).isEqualTo(409);
            assertThat(second.post("/v1/events", click(a, "2", true)).status())
                    .as("the replay reaches the serving replica's record").isEqualTo(409);
            assertThat(armCount(first, "positiveFeedback")).isEqualTo(1);
            assertThat(armCount(second, "positiveFeedback")).isZero();

            router.close();
            router = null;
            Http.Reply orphan = second.post("/v1/events", click(b, "2", true));
            assertThat(orphan.status()).as("the serving replica is gone: counted here").isEqualTo(202);
            assertThat(armCount(second, "positiveFeedback")).isEqualTo(1);
            assertThat(second.post("/v1/events", click(b, "2", true)).status()).isEqualTo(409);

            // the address answers again, but for another router (another key): not the serving replica either
            Path impostor = dir.resolve("impostor.yaml");
            Files.writeString(impostor, RuntimeConfigs.write(RuntimeConfig.router(
                    new ServerSettings(firstPort, 4096, 50, 2), r)));
            try (ServerRuntime<RouterState> stranger = ServerRuntime.start(impostor, new RouterServerSpec(), 0)) {
                assertThat(second.post("/v1/events", click(c, "2", true)).status()).isEqualTo(202);
                assertThat(armCount(second, "positiveFeedback")).isEqualTo(2);
                assertThat(armCount(new Http(stranger.port()), "positiveFeedback")).isZero();
            }
            assertThat(second.get("/metrics").body()).contains("outcome=\"orphaned\"} 2.0");
        }
    }

    private static long armCount(Http http, String counter) throws Exception {
        return http.get("/v1/stats").json().getJsonObject("arms").getJsonObject("explore").getLong(counter);
    }

    @Test
    void fuzzedBodiesNeverGetA5xx() throws Exception {
        Http http = start(config(5000, explore.url(), true, control.url()));
        String requestId = http.post("/v1/recommend", recommend(userOf("explore"))).json().getString("requestId");
        List<String> valid = List.of(recommend("u1"), click(requestId, "2", true));
        for (String body : new io.serendip.runtime.testing.JsonFuzz(7).bodies(valid, 300)) {
            for (String path : List.of("/v1/recommend", "/v1/events")) {
                Http.Reply reply = http.post(path, body);
                assertThat(reply.status()).as(path + " " + body).isBetween(200, 499);
                assertThat(reply.contentType()).as(body).startsWith("application/json");
            }
        }
    }

    @Test
    void healthAndReadiness() throws Exception {
        Http http = start(config(5000, explore.url(), true, control.url()));
        assertThat(http.get("/healthz").json().getString("status")).isEqualTo("ok");
        assertThat(http.get("/readyz").json().getBoolean("ready")).isTrue();
    }

    @Test
    void drainLetsInFlightRequestsFinish() throws Exception {
        control.delayMillis(500);
        Http http = start(config(0, explore.url(), true, control.url()));
        var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> http.post("/v1/recommend", recommend("slow")));
        await().atMost(Duration.ofSeconds(5)).until(() -> router.shell().inFlight() == 1);
        var stopped = router.stop();
        assertThat(inFlight.get().status()).isEqualTo(200);
        stopped.toCompletionStage().toCompletableFuture().get();
        router = null;
    }
}
