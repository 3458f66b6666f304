package io.serendip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.serendip.config.ArmSettings;
import io.serendip.config.CircuitBreakerSettings;
import io.serendip.config.InterestModelSettings;
import io.serendip.config.RecommenderSettings;
import io.serendip.config.RouterSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.config.TimeoutSettings;
import io.serendip.runtime.interest.InterestModelServerSpec;
import io.serendip.runtime.recommender.RecommenderServerSpec;
import io.serendip.runtime.router.RouterServerSpec;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.testing.Http;
import io.serendip.runtime.testing.TinyArtifacts;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request-parsing endpoint over real sockets, against running servers with small real models: the
 * router (both arms on a real recommender), the recommender and the interest-model server. Whatever the
 * body, the answer is below 500 and a JSON object; a refusal has the one error shape {error, message}.
 * The last input byte picks the endpoint; {@code FUZZ_TARGET=<Endpoint>} pins one (bench/fuzz/run.sh).
 */
class HttpApiFuzzTest {
    enum Endpoint {
        ROUTER_RECOMMEND("/v1/recommend"), ROUTER_EVENTS("/v1/events"), RECOMMENDER_RECOMMEND("/v1/recommend"),
        NOVEL_INTERESTS("/v1/novel-interests"), NOVEL_INTERESTS_BATCH("/v1/novel-interests:batch");

        final String path;

        Endpoint(String path) {
            this.path = path;
        }
    }

    private static final Endpoint ONLY = System.getenv("FUZZ_TARGET") == null ? null
            : Endpoint.valueOf(System.getenv("FUZZ_TARGET"));
    /** Per endpoint: requests, 2xx, 4xx, 5xx. */
    private static final Map<Endpoint, long[]> ANSWERS = new EnumMap<>(Endpoint.class);
    private static final Map<Endpoint, Http> CLIENTS = new EnumMap<>(Endpoint.class);
    private static final List<ServerRuntime<?>> SERVERS = new ArrayList<>();
    /** Loopback connections allowed; kept for the JVM's life (it runs this class alone when fuzzing). */
    private static SilentCloseable loopbackOnly;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startServers() throws Exception {
        TinyArtifacts artifacts = TinyArtifacts.build(dir);
        ServerSettings server = new ServerSettings(0, 8192, 20, 1);
        ServerRuntime<?> recommender = start("recommender.yaml", RuntimeConfig.recommender(server,
                new RecommenderSettings(artifacts.modelDir.toString(), artifacts.clustersDir.toString(),
                        artifacts.noveltyTable.toString(), 10, 0.3, null)), new RecommenderServerSpec());
        Path interestModel = TinyArtifacts.trainInterestModel(dir.resolve("interest"), artifacts.clusters);
        ServerRuntime<?> interest = start("interest.yaml", RuntimeConfig.interestModel(server,
                new InterestModelSettings(interestModel.toString(), artifacts.clustersDir.toString(),
                        TinyArtifacts.HISTORY_LENGTH, 3, null)), new InterestModelServerSpec());
        String backend = "http://127.0.0.1:" + recommender.port();
        // Generous timeouts: a slow answer on a busy machine is not what this test looks for.
        ServerRuntime<?> router = start("router.yaml", RuntimeConfig.router(server, new RouterSettings("fuzz", "2026",
                List.of(new ArmSettings("control", true, 5000, 0.0, backend, true),
                        new ArmSettings("explore", false, 5000, 0.3, backend, true)),
                new TimeoutSettings(5_000, 30_000), new CircuitBreakerSettings(3, 60_000))), new RouterServerSpec());
        for (Endpoint endpoint : Endpoint.values()) {
            ServerRuntime<?> target = endpoint.name().startsWith("ROUTER") ? router
                    : endpoint.name().startsWith("RECOMMENDER") ? recommender : interest;
            CLIENTS.put(endpoint, new Http(target.port()));
        }
    }

    private static <T extends AutoCloseable> ServerRuntime<T> start(String file, RuntimeConfig config,
                                                                  ServerRuntime.Spec<T> spec) throws Exception {
        Path path = dir.resolve(file);
        Files.writeString(path, RuntimeConfigs.write(config));
        ServerRuntime<T> server = ServerRuntime.start(path, spec, 0);
        SERVERS.add(0, server);
        return server;
    }

    @AfterAll
    static void stopServers() throws Exception {
        ANSWERS.forEach((endpoint, n) -> System.out.printf("fuzz target %s: %d inputs (2xx %d, 4xx %d, 5xx %d)%n",
                endpoint, n[0], n[1], n[2], n[3]));
        for (ServerRuntime<?> server : SERVERS) {
            server.close();
        }
    }

    @DictionaryEntries({"\"user\"", "\"history\"", "\"k\"", "\"exploration\"", "\"explorationSlots\"", "\"clusters\"",
        "\"histories\"", "\"n\"", "\"type\"", "\"items\"", "\"arm\"", "\"id\"", "\"explored\"", "\"novel\"", "\"m101\"",
        "\"click\"", "\"skip\"", "\"requestId\"", "\"control\"", "\"explore\"", "null", "true", "-1", "0.5", "1e999",
        "18446744073709551621", "[]", "{}", "[[", "\"\\u0000\""})
    @Timeout(30) // seconds per input: a slower one is a finding (libFuzzer -timeout)
    @FuzzTest(maxDuration = "15s")
    void everyAnswerIsBelow500AndJson(FuzzedDataProvider data) {
        if (loopbackOnly == null) {
            // Jazzer's SSRF detector refuses every connection unless allowed; its agent is only there from here on.
            loopbackOnly = BugDetectors.allowNetworkConnections(
                    (host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        }
        Endpoint picked = data.pickValue(Endpoint.values());
        Endpoint endpoint = ONLY != null ? ONLY : picked;
        byte[] body = data.consumeRemainingAsBytes();
        Http.Reply reply = CLIENTS.get(endpoint).post(endpoint.path, body);
        long[] answers = ANSWERS.computeIfAbsent(endpoint, e -> new long[4]);
        answers[0]++;
        answers[reply.status() / 100 == 2 ? 1 : reply.status() / 100 == 4 ? 2 : 3]++;
        assertThat(reply.status()).as("%s %s", endpoint, reply.body()).isLessThan(500);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonObject json = reply.json();
        if (reply.status() >= 300) {
            assertThat(json.getString("error")).isNotBlank();
            assertThat(json.getString("message")).isNotBlank();
        }
    }
}
