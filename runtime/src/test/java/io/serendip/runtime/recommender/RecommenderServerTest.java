package io.serendip.runtime.recommender;

import static io.serendip.runtime.testing.TinyArtifacts.clusterOfItem;
import static io.serendip.runtime.testing.TinyArtifacts.itemId;
import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.server.ServingHeaders;
import io.serendip.runtime.testing.Http;
import io.serendip.runtime.testing.TinyArtifacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecommenderServerTest {
    @TempDir
    static Path dir;
    static TinyArtifacts artifacts;
    static ServerRuntime<RecommenderModels> server;
    static Http http;

    static RuntimeConfig config(Path modelDir, Path clustersDir, Path table) {
        return RuntimeConfig.recommender(new ServerSettings(0, 4096, 20, 1),
                new RecommenderSettings(modelDir.toString(), clustersDir.toString(), table.toString(), 10, 0.3, null));
    }

    @BeforeAll
    static void start() throws Exception {
        artifacts = TinyArtifacts.build(dir);
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, RuntimeConfigs.write(config(artifacts.modelDir, artifacts.clustersDir, artifacts.noveltyTable)));
        server = ServerRuntime.start(file, new RecommenderServerSpec(), 0);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String request(String user, int k, double exploration, int... historyItems) {
        JsonArray history = new JsonArray();
        for (int item : historyItems) {
            history.add(itemId(item));
        }
        return new JsonObject().put("user", user).put("history", history).put("k", k).put("exploration", exploration).encode();
    }

    @Test
    void slateMixesExploitationAndNovelClusterExploration() {
        // History clusters: 0, 1, 2 (item i is in cluster i mod 6); last two distinct = [1, 2].
        int[] history = {0, 7, 2};
        JsonObject body = http.post("/v1/recommend", request("u1", 10, 0.3, history)).json();
        JsonArray items = body.getJsonArray("items");
        assertThat(items).hasSize(10);
        JsonObject exploration = body.getJsonObject("exploration");
        assertThat(exploration.getJsonArray("historyClusters").getList()).containsExactly(1, 2);
        assertThat(exploration.getJsonArray("novelClusters").getList()).containsExactly(3, 4);
        assertThat(exploration.getBoolean("fallback")).isFalse();

        Set<String> ids = new HashSet<>();
        List<Integer> exploredClusters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = items.getJsonObject(i);
            String id = item.getString("id");
            assertThat(ids.add(id)).as("no duplicates").isTrue();
            assertThat(id).isNotIn(itemId(0), itemId(7), itemId(2));
            if (item.getBoolean("explored")) {
                int cluster = item.getJsonObject("cluster").getInteger("id");
                exploredClusters.add(cluster);
                // Restricted retrieval: the item belongs to the novel cluster it is shown for.
                assertThat(clusterOfItem(Integer.parseInt(id.substring(1)) - 100)).isEqualTo(cluster);
                assertThat(item.getJsonObject("cluster").getString("description")).isEqualTo("theme" + cluster + ", mood" + cluster);
                assertThat(item.getBoolean("novel")).isTrue();
            }
        }
        assertThat(exploredClusters).hasSize(3).containsOnly(3, 4).contains(3, 4);
    }

    @Test
    void restrictedRetrievalOnlyReturnsItemsOfTheNovelClustersForEveryHistory() {
        for (int a = 0; a < TinyArtifacts.ITEMS; a += 5) {
            for (int b = 1; b < TinyArtifacts.ITEMS; b += 7) {
                JsonObject body = http.post("/v1/recommend", request("u", 8, 1.0, a, b)).json();
                List<Integer> novel = body.getJsonObject("exploration").getJsonArray("novelClusters").getList();
                JsonArray items = body.getJsonArray("items");
                assertThat(items).isNotEmpty();
                for (int i = 0; i < items.size(); i++) {
                    JsonObject item = items.getJsonObject(i);
                    assertThat(item.getBoolean("explored")).isTrue();
                    int index = Integer.parseInt(item.getString("id").substring(1)) - 100;
                    assertThat(novel).contains(clusterOfItem(index));
                    assertThat(index).isNotIn(a, b);
                }
            }
        }
    }

    @Test
    void requestsAreMeteredByTheArmTheRouterNames() {
        String request = request("u-arm", 5, 0.2, 3, 4);
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/v1/recommend", request, "X-Serendip-Arm", "explore").status()).isEqualTo(200);
        }
        assertThat(http.post("/v1/recommend", request).status()).isEqualTo(200);
        assertThat(http.post("/v1/recommend", request, "X-Serendip-Arm", "Not An Arm").status()).isEqualTo(200);
        assertThat(http.post("/v1/recommend", "{\"history\":[]}", "X-Serendip-Arm", "explore").status()).isEqualTo(400);
        String metrics = http.get("/metrics").body();
        // a refused request is not an answered one
        assertThat(metrics).contains("serendip_recommender_requests_seconds_count{arm=\"explore\",component=\"RecommenderConfig\"} 3\n")
                .contains("serendip_recommender_requests_seconds_count{arm=\"direct\",component=\"RecommenderConfig\"}") // every other test's too
                .contains("serendip_recommender_requests_seconds_count{arm=\"other\",component=\"RecommenderConfig\"} 1\n")
                .contains("serendip_recommender_requests_seconds_bucket{arm=\"explore\"");
    }

    @Test
    void identicalInputGivesIdenticalOutput() {
        String request = request("same", 12, 0.25, 3, 4, 5, 11);
        String first = http.post("/v1/recommend", request).body();
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/v1/recommend", request).body()).isEqualTo(first);
        }
    }

    @Test
    void usersWithOneClusterGetTheCrowdFallbackRow() {
        // Items 0, 6, 12 are all in cluster 0.
        JsonObject body = http.post("/v1/recommend", request("new", 6, 0.5, 0, 6, 12)).json();
        JsonObject exploration = body.getJsonObject("exploration");
        assertThat(exploration.getBoolean("fallback")).isTrue();
        assertThat(exploration.getJsonArray("historyClusters").getList()).containsExactly(0);
        assertThat(exploration.getJsonArray("novelClusters").getList()).containsExactly(1, 2);
    }

    @Test
    void zeroExplorationIsPureExploitation() {
        JsonObject body = http.post("/v1/recommend", request("c", 10, 0.0, 1, 2, 3)).json();
        assertThat(body.getJsonArray("items")).hasSize(10)
                .allSatisfy(item -> assertThat(((JsonObject) item).getBoolean("explored")).isFalse());
        assertThat(body.getJsonObject("exploration").getInteger("slots")).isZero();
    }

    @Test
    void defaultsComeFromTheConfig() {
        JsonObject body = http.post("/v1/recommend", "{\"history\":[\"m101\"]}").json();
        assertThat(body.getJsonArray("items")).hasSize(10);
        assertThat(body.getJsonObject("exploration").getInteger("slots")).isEqualTo(3);
    }

    @Test
    void theRoutersExplorationHeaderTakesThePlaceOfTheBodysShare() {
        String body = request("h", 10, 0.0, 1, 2, 3);
        JsonObject routed = http.post("/v1/recommend", body, ServingHeaders.EXPLORATION, "0.5").json();
        assertThat(routed.getJsonObject("exploration").getInteger("slots")).isEqualTo(5);
        assertThat(routed.getJsonArray("items").stream().filter(i -> ((JsonObject) i).getBoolean("explored"))).hasSize(5);
        for (String bad : new String[] {"1.5", "-0.1", "half", "NaN", ""}) {
            Http.Reply reply = http.post("/v1/recommend", body, ServingHeaders.EXPLORATION, bad);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().getString("message")).startsWith(ServingHeaders.EXPLORATION);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON                | {nope                                      | 400 | not valid JSON",
        "JSON array              | [1,2]                                      | 400 | must be a JSON object",
        "empty body              | ``                                         | 400 | JSON object is required",
        "missing history         | {\"user\":\"u\"}                           | 400 | history: is required",
        "history not array       | {\"history\":\"m101\"}                     | 400 | history: must be an array",
        "empty history           | {\"history\":[]}                           | 400 | history: at least one item",
        "history of objects      | {\"history\":[{}]}                         | 400 | history[0]",
        "unknown item            | {\"history\":[\"m101\",\"nope\"]}          | 400 | history[1]: unknown item nope",
        "k not a number          | {\"history\":[\"m101\"],\"k\":\"ten\"}     | 400 | k: must be an integer",
        "k zero                  | {\"history\":[\"m101\"],\"k\":0}           | 400 | k: must be between 1",
        "k fractional            | {\"history\":[\"m101\"],\"k\":2.5}         | 400 | k: must be an integer",
        "k huge                  | {\"history\":[\"m101\"],\"k\":99999999999} | 400 | k: must be between",
        "exploration above 1     | {\"history\":[\"m101\"],\"exploration\":2} | 400 | exploration: must be a share",
        "exploration negative    | {\"history\":[\"m101\"],\"exploration\":-0.1} | 400 | exploration",
        "exploration string      | {\"history\":[\"m101\"],\"exploration\":\"x\"} | 400 | exploration",
        "slots negative          | {\"history\":[\"m101\"],\"explorationSlots\":-1} | 400 | explorationSlots",
        "user not string         | {\"user\":5,\"history\":[\"m101\"]}        | 400 | user: must be a non-empty string",
        "null history entry      | {\"history\":[null]}                       | 400 | history[0]",
    })
    void badInputsGetA4xxJsonError(String name, String body, int status, String message) {
        Http.Reply reply = http.post("/v1/recommend", body.replace("\\\"", "\""));
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().getString("message")).contains(message);
    }

    @Test
    void oversizeHistoryAndBodyAndWrongMethodAndPath() {
        JsonArray longHistory = new JsonArray();
        for (int i = 0; i < 21; i++) {
            longHistory.add(itemId(i));
        }
        Http.Reply tooLong = http.post("/v1/recommend", new JsonObject().put("history", longHistory).encode());
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().getString("message")).contains("history: at most 20 entries");

        Http.Reply tooBig = http.post("/v1/recommend", "{\"history\":[\"" + "x".repeat(5000) + "\"]}");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().getString("error")).isEqualTo("too_large");

        Http.Reply wrongMethod = http.send("PUT", "/v1/recommend", "{}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().getString("error")).isEqualTo("method_not_allowed");

        Http.Reply missing = http.get("/v1/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().getString("error")).isEqualTo("not_found");
    }

    @Test
    void fuzzedBodiesNeverGetA5xx() {
        List<String> valid = List.of(request("u", 10, 0.3, 1, 2, 3), "{\"history\":[\"m101\"],\"explorationSlots\":2,\"k\":3}");
        int ok = 0;
        for (String body : new io.serendip.runtime.testing.JsonFuzz(2026).bodies(valid, 400)) {
            Http.Reply reply = http.post("/v1/recommend", body);
            assertThat(reply.status()).as(body).isBetween(200, 499);
            assertThat(reply.contentType()).as(body).startsWith("application/json");
            if (reply.status() >= 400) {
                assertThat(reply.json().getString("message")).as(body).isNotBlank();
            } else {
                ok++;
            }
        }
        assertThat(http.get("/readyz").status()).isEqualTo(200);
        assertThat(ok).as("some mutated bodies stay valid").isPositive();
    }

    @Test
    void readyOnceModelsAreLoaded() {
        assertThat(http.get("/readyz").status()).isEqualTo(200);
        assertThat(http.get("/readyz").json().getBoolean("ready")).isTrue();
    }
}
