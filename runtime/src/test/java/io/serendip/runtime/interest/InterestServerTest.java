package io.serendip.runtime.interest;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.InterestModelSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.testing.Http;
import io.serendip.runtime.testing.TinyArtifacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interest-model server over a real socket with a small model trained by the pipeline's trainer. */
class InterestServerTest {
    static ClusterSet clusters;
    static ServerRuntime<InterestModels> server;
    static Http http;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        TinyArtifacts artifacts = TinyArtifacts.build(dir);
        clusters = artifacts.clusters;
        Path model = TinyArtifacts.trainInterestModel(dir.resolve("interest"), clusters);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, RuntimeConfigs.write(RuntimeConfig.interestModel(new ServerSettings(0, 8192, 10, 1),
                new InterestModelSettings(model.toString(), artifacts.clustersDir.toString(), 2, 3, null))));
        server = ServerRuntime.start(config, new InterestModelServerSpec(), 0);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void returnsTheLearnedNextClusterWithItsDescription() {
        // Planted transitions: cluster c is followed by c + 1.
        JsonObject body = http.post("/v1/novel-interests", "{\"clusters\":[1,2]}").json();
        assertThat(body.getJsonArray("history").getList()).containsExactly(1, 2);
        JsonArray interests = body.getJsonArray("interests");
        assertThat(interests).hasSize(3);
        JsonObject first = interests.getJsonObject(0);
        assertThat(first.getInteger("cluster")).isEqualTo(3);
        assertThat(first.getString("description")).isEqualTo("theme3, mood3");
    }

    @Test
    void everyInterestIsAValidClusterOutsideTheHistoryForRandomHistories() {
        Random random = new Random(17);
        for (int trial = 0; trial < 150; trial++) {
            List<Integer> history = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                history.add(random.nextInt(TinyArtifacts.CLUSTERS));
            }
            checkValid(history, 1 + random.nextInt(6));
        }
    }

    private static void checkValid(List<Integer> history, int n) {
        JsonObject body = http.post("/v1/novel-interests",
                new JsonObject().put("clusters", new JsonArray(history)).put("n", n).encode()).json();
        List<Integer> used = body.getJsonArray("history").getList();
        JsonArray interests = body.getJsonArray("interests");
        assertThat(interests.size()).isLessThanOrEqualTo(n);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < interests.size(); i++) {
            int cluster = interests.getJsonObject(i).getInteger("cluster");
            assertThat(cluster).isBetween(0, TinyArtifacts.CLUSTERS - 1);
            assertThat(used).doesNotContain(cluster);
            assertThat(seen.add(cluster)).isTrue();
            assertThat(interests.getJsonObject(i).getString("description")).isEqualTo(clusters.description(cluster));
        }
    }

    @Test
    void batchAnswersEveryHistoryInOrder() {
        JsonObject body = http.post("/v1/novel-interests:batch", "{\"histories\":[[0,1],[4,5],[2]],\"n\":2}").json();
        JsonArray results = body.getJsonArray("results");
        assertThat(results).hasSize(3);
        assertThat(results.getJsonObject(0).getJsonArray("history").getList()).containsExactly(0, 1);
        assertThat(results.getJsonObject(1).getJsonArray("history").getList()).containsExactly(4, 5);
        for (int i = 0; i < 3; i++) {
            assertThat(results.getJsonObject(i).getJsonArray("interests")).hasSize(2);
        }
        JsonObject single = http.post("/v1/novel-interests", "{\"clusters\":[4,5],\"n\":2}").json();
        assertThat(results.getJsonObject(1)).isEqualTo(single);
    }

    @Test
    void badInputsGetA4xxJsonError() {
        String[][] cases = {
            {"{}", "clusters: is required"},
            {"{\"clusters\":\"1,2\"}", "clusters: must be an array"},
            {"{\"clusters\":[1,99]}", "clusters[1]: must be between 0 and 5"},
            {"{\"clusters\":[1,-1]}", "clusters[1]: must be between 0 and 5"},
            {"{\"clusters\":[1.5]}", "clusters[0]: must be an integer"},
            {"{\"clusters\":[\"a\"]}", "clusters[0]: must be an integer"},
            {"{\"clusters\":[1,2,3,4,5,0,1,2,3,4,5]}", "clusters: at most 10 entries"},
            {"{\"clusters\":[1],\"n\":0}", "n: must be between 1"},
            {"{\"histories\":[]}", "histories: must hold 1 to 1024"},
            {"{\"histories\":[[1],7]}", "histories[1]: must be an array"},
            {"{\"histories\":[[1],[2,77]]}", "histories[1][1]: must be between 0 and 5"},
            {"[", "not valid JSON"},
        };
        for (String[] c : cases) {
            String path = c[0].contains("histories") ? "/v1/novel-interests:batch" : "/v1/novel-interests";
            Http.Reply reply = http.post(path, c[0]);
            assertThat(reply.status()).as(c[0]).isEqualTo(400);
            assertThat(reply.json().getString("message")).as(c[0]).contains(c[1]);
        }
    }
}
