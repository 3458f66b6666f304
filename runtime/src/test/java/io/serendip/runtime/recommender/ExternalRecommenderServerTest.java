package io.serendip.runtime.recommender;

import static io.serendip.runtime.testing.TinyArtifacts.clusterOfItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.serendip.config.RuntimeConfigs;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.recommender.ImportRecommenderCommand;
import io.serendip.ml.recommender.SequenceRecommender;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.testing.Http;
import io.serendip.runtime.testing.TinyArtifacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The recommender server over real sockets with externally trained models: the TorchScript and ONNX files that
 * bench/python-reference/export.py wrote (ml test resources), imported with {@code job import-recommender} and
 * served with a cluster set (item i in cluster i mod 6) and novelty table built for the same 60 items.
 */
class ExternalRecommenderServerTest {
    static final Path EXPORTED = Path.of(System.getProperty("serendip.repo.dir", ".."))
            .resolve("ml/src/test/resources/external-recommender").toAbsolutePath();

    @TempDir
    static Path dir;
    static ItemIndex items;

    @BeforeAll
    static void importBoth() {
        items = ItemIndex.read(EXPORTED.resolve("items.txt"));
        importArtifact("torchscript", "model.pt", "--max-length", "20");
        importArtifact("onnx", "model.onnx");
    }

    static void importArtifact(String format, String modelFile, String... more) {
        List<String> args = new ArrayList<>(List.of("--format", format, "--model", EXPORTED.resolve(modelFile).toString(),
                "--item-vectors", EXPORTED.resolve("item-vectors.npy").toString(),
                "--items", EXPORTED.resolve("items.txt").toString(), "--output", dir.resolve(format).toString()));
        args.addAll(List.of(more));
        CommandLine command = new CommandLine(new ImportRecommenderCommand());
        StringWriter err = new StringWriter();
        command.setErr(new PrintWriter(err));
        command.setOut(new PrintWriter(new StringWriter()));
        assertThat(command.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
    }

    static String request(int k, double exploration, int... history) {
        JsonArray ids = new JsonArray();
        for (int item : history) {
            ids.add(items.idOf(item));
        }
        return new JsonObject().put("user", "u").put("history", ids).put("k", k).put("exploration", exploration).encode();
    }

    static Path writeConfig(Path file, Path modelDir, TinyArtifacts artifacts) throws Exception {
        Files.writeString(file, RuntimeConfigs.write(RecommenderServerTest.config(modelDir, artifacts.clustersDir,
                artifacts.noveltyTable)));
        return file;
    }

    /** The model's own top-k outside the history: what a pure-exploitation slate must be. */
    static List<String> modelTopK(Path artifact, int k, int... history) {
        try (SequenceRecommender model = SequenceRecommender.load(artifact)) {
            float[] scores = model.scoreAll(model.encode(history));
            BitSet seen = new BitSet();
            for (int item : history) {
                seen.set(item);
            }
            return java.util.Arrays.stream(SlateBuilder.topK(scores, k, seen)).mapToObj(items::idOf).toList();
        }
    }

    static List<String> ids(JsonObject body) {
        List<String> ids = new ArrayList<>();
        body.getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getString("id")));
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"torchscript", "onnx"})
    void servesSlatesWhoseExplorationComesOnlyFromTheNovelClusters(String format) throws Exception {
        Path modelDir = dir.resolve(format);
        TinyArtifacts artifacts = TinyArtifacts.around(dir.resolve("serve-" + format), modelDir);
        ServerRuntime<RecommenderModels> server = ServerRuntime.start(
                writeConfig(dir.resolve(format + ".yaml"), modelDir, artifacts), new RecommenderServerSpec(), 0);
        try {
            Http http = new Http(server.port());
            // history clusters 0, 1, 2 (item i is in cluster i mod 6); the table's novel clusters for [1, 2] are 3, 4
            int[] history = {0, 7, 2};
            JsonObject body = http.post("/v1/recommend", request(10, 0.3, history)).json();
            assertThat(body.getJsonObject("exploration").getJsonArray("novelClusters").getList()).containsExactly(3, 4);
            JsonArray slate = body.getJsonArray("items");
            assertThat(slate).hasSize(10);
            Set<String> seen = new HashSet<>();
            List<Integer> explored = new ArrayList<>();
            for (int i = 0; i < slate.size(); i++) {
                JsonObject item = slate.getJsonObject(i);
                int index = items.indexOf(item.getString("id"));
                assertThat(seen.add(item.getString("id"))).as("no duplicates").isTrue();
                assertThat(index).isNotIn(0, 7, 2);
                if (item.getBoolean("explored")) {
                    explored.add(clusterOfItem(index));
                    assertThat(item.getJsonObject("cluster").getInteger("id")).isEqualTo(clusterOfItem(index));
                }
            }
            assertThat(explored).hasSize(3).containsOnly(3, 4);

            // exploitation is the imported model's ranking, scores included
            JsonObject pure = http.post("/v1/recommend", request(10, 0.0, history)).json();
            assertThat(ids(pure)).isEqualTo(modelTopK(modelDir, 10, history));
            try (SequenceRecommender model = SequenceRecommender.load(modelDir)) {
                float[] scores = model.scoreAll(model.encode(history));
                pure.getJsonArray("items").forEach(item -> assertThat(((JsonObject) item).getDouble("score"))
                        .isCloseTo(scores[items.indexOf(((JsonObject) item).getString("id"))], within(1e-5)));
            }

            for (int a = 0; a < 60; a += 7) {
                for (int b = 1; b < 60; b += 11) {
                    JsonObject only = http.post("/v1/recommend", request(8, 1.0, a, b)).json();
                    List<Integer> novel = only.getJsonObject("exploration").getJsonArray("novelClusters").getList();
                    assertThat(only.getJsonArray("items")).isNotEmpty().allSatisfy(entry -> {
                        JsonObject item = (JsonObject) entry;
                        assertThat(item.getBoolean("explored")).isTrue();
                        assertThat(novel).contains(clusterOfItem(items.indexOf(item.getString("id"))));
                    });
                }
            }
        } finally {
            server.close();
        }
    }

    @Test
    void hotReloadSwapsTheOwnFormatForAnOnnxArtifactWithoutFailingRequests() throws Exception {
        Path own = dir.resolve("own");
        TinyArtifacts.trainModel(own, 5, items.ids());
        TinyArtifacts artifacts = TinyArtifacts.around(dir.resolve("reload"), own);
        Path config = writeConfig(dir.resolve("reload.yaml"), own, artifacts);
        int[] history = {3, 4, 5, 6};
        ServerRuntime<RecommenderModels> server = ServerRuntime.start(config, new RecommenderServerSpec(), 0);
        try {
            Http http = new Http(server.port());
            String request = request(10, 0.0, history);
            assertThat(ids(http.post("/v1/recommend", request).json())).isEqualTo(modelTopK(own, 10, history));
            int version = server.generations().version();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread client = new Thread(() -> {
                while (!stop.get()) {
                    Http.Reply reply = http.post("/v1/recommend", request);
                    if (reply.status() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failures.add(reply.status() + " " + reply.body());
                    }
                }
            });
            client.start();
            writeConfig(config, dir.resolve("onnx"), artifacts);
            assertThat(server.watcher().checkOnce()).isTrue();
            Thread.sleep(200);
            stop.set(true);
            client.join();

            assertThat(failures).isEmpty();
            assertThat(ok.get()).isPositive();
            assertThat(server.generations().version()).isEqualTo(version + 1);
            List<String> onnxTop = modelTopK(dir.resolve("onnx"), 10, history);
            assertThat(onnxTop).as("the two models rank differently").isNotEqualTo(modelTopK(own, 10, history));
            assertThat(ids(http.post("/v1/recommend", request).json())).isEqualTo(onnxTop);
        } finally {
            server.close();
        }
    }
}
