package io.serendip.ml.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ItemIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The TorchScript and ONNX files exported by bench/python-reference/export.py (test resources
 * external-recommender/), imported with {@code job import-recommender} and run by DJL's PyTorch and OnnxRuntime
 * engines, against the user states and top-10 items PyTorch computed.
 */
class ExternalRecommenderTest {

    static final Path EXPORTED = Path.of("src", "test", "resources", "external-recommender").toAbsolutePath();
    static final Path VECTORS = EXPORTED.resolve("item-vectors.npy");
    static final Path ITEMS = EXPORTED.resolve("items.txt");

    @TempDir
    static Path dir;
    static JsonNode expected;
    static ItemIndex items;

    record Run(int exitCode, String out, String err) {
    }

    static Run importRecommender(String... args) {
        CommandLine command = new CommandLine(new ImportRecommenderCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int code = command.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run importRecommender(String format, Path model, Path vectors, Path itemsFile, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("--format", format, "--model", model.toString(), "--item-vectors",
                vectors.toString(), "--items", itemsFile.toString(), "--output", output.toString()));
        args.addAll(List.of(more));
        return importRecommender(args.toArray(String[]::new));
    }

    static Path modelFile(String format) {
        return EXPORTED.resolve(ExternalFormat.parse(format).fileName());
    }

    static Path imported(String format) {
        return dir.resolve("imported-" + format);
    }

    @BeforeAll
    static void importBoth() throws IOException {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        expected = new ObjectMapper().readTree(EXPORTED.resolve("expected.json").toFile());
        items = ItemIndex.read(ITEMS);
        Run torchscript = importRecommender("torchscript", modelFile("torchscript"), VECTORS, ITEMS,
                imported("torchscript"), "--max-length", "20");
        assertThat(torchscript.exitCode()).as(torchscript.err()).isZero();
        assertThat(torchscript.out()).contains("60 items, dimension 16, history length 20: probe forward pass passed");
        // the ONNX graph declares its input [batch, 20]: no --max-length needed
        Run onnx = importRecommender("onnx", modelFile("onnx"), VECTORS, ITEMS, imported("onnx"));
        assertThat(onnx.exitCode()).as(onnx.err()).isZero();
    }

    static int[] indices(JsonNode ids) {
        int[] result = new int[ids.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = items.indexOf(ids.get(i).asText());
            assertThat(result[i]).isNotNegative();
        }
        return result;
    }

    static float[] floats(JsonNode values) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (float) values.get(i).asDouble();
        }
        return result;
    }

    static List<String> top10(float[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        return Arrays.stream(order).limit(10).map(items::idOf).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"torchscript", "onnx"})
    void reproducesPyTorchsUserStatesAndTop10(String format) {
        assertThat(expected.get("cases")).hasSize(6);
        try (SequenceRecommender recommender = SequenceRecommender.load(imported(format))) {
            assertThat(recommender).isInstanceOf(ExternalSequenceRecommender.class);
            assertThat(recommender.itemCount()).isEqualTo(60);
            assertThat(recommender.maxHistory()).isEqualTo(20);
            for (JsonNode example : expected.get("cases")) {
                int[] history = indices(example.get("history"));
                float[] state = recommender.encode(history);
                float[] expectedState = floats(example.get("userState"));
                assertThat(state).as("user state after %s", example.get("history")).hasSize(16);
                for (int k = 0; k < state.length; k++) {
                    assertThat(state[k]).as("component %d after %s", k, example.get("history"))
                            .isCloseTo(expectedState[k], within(1e-4f));
                }
                float[] scores = recommender.scoreAll(state);
                List<String> expectedTop = new ArrayList<>();
                example.get("top10").forEach(id -> expectedTop.add(id.asText()));
                assertThat(top10(scores)).as("top-10 after %s", example.get("history")).isEqualTo(expectedTop);
                float[] expectedScores = floats(example.get("top10Scores"));
                float[] candidateScores = recommender.scoreCandidates(state, indices(example.get("top10")));
                for (int r = 0; r < 10; r++) {
                    assertThat(candidateScores[r]).isCloseTo(expectedScores[r], within(1e-3f));
                }
            }
        }
    }

    @Test
    void importWritesAVerifiedArtifactDeclaringItsFormat() throws IOException {
        Path artifact = imported("onnx");
        ArtifactManifest manifest = ArtifactManifest.readVerified(artifact, TransformerSequenceRecommender.KIND);
        assertThat(manifest.fileNames()).containsExactlyInAnyOrder("model.onnx", "item-vectors.npy", "items.txt",
                "model.json");
        assertThat(manifest.metrics()).containsEntry("itemCount", 60.0).containsEntry("dimension", 16.0)
                .containsEntry("maxLength", 20.0);
        assertThat(ExternalModelDescriptor.read(artifact))
                .isEqualTo(new ExternalModelDescriptor(ExternalFormat.ONNX, 20, 16, 60));
        assertThat(SequenceRecommender.engineOf(artifact)).isEqualTo("OnnxRuntime");
        assertThat(SequenceRecommender.engineOf(imported("torchscript"))).isEqualTo("PyTorch");
        // evaluate --recommender opens it like the own format
        try (SequenceRecommender direct = SequenceRecommender.load(artifact)) {
            assertThat(new RecommenderModelExtension().recommender(artifact).scoreAll(new int[] {1, 2, 3}))
                    .containsExactly(direct.scoreAll(direct.encode(new int[] {1, 2, 3})));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"torchscript", "onnx"})
    void concurrentAndBatchedEncodesMatchSingleOnes(String format) throws Exception {
        List<int[]> histories = new ArrayList<>();
        for (int u = 0; u < 24; u++) {
            int start = 7 * u;
            int[] history = new int[1 + u];
            Arrays.setAll(history, i -> (start + 3 * i) % 60);
            histories.add(history);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (ExternalSequenceRecommender recommender = (ExternalSequenceRecommender) SequenceRecommender.load(imported(format))) {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int[] history : histories) {
                futures.add(pool.submit(() -> recommender.encode(history)));
            }
            float[][] batched = recommender.encodeAll(histories.toArray(int[][]::new));
            for (int u = 0; u < histories.size(); u++) {
                float[] single = recommender.encode(histories.get(u));
                assertThat(futures.get(u).get()).containsExactly(single);
                assertThat(batched[u]).containsExactly(single, within(1e-5f));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesATruncatedOrCorruptModelFileNamingIt(@TempDir Path tmp) throws IOException {
        byte[] pt = Files.readAllBytes(modelFile("torchscript"));
        Path truncated = tmp.resolve("truncated.pt");
        Files.write(truncated, Arrays.copyOf(pt, pt.length / 2));
        Run run = importRecommender("torchscript", truncated, VECTORS, ITEMS, tmp.resolve("out-pt"), "--max-length", "20");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("import-recommender: error: " + truncated + ": not a loadable torchscript model");

        byte[] onnx = Files.readAllBytes(modelFile("onnx"));
        Path corrupt = tmp.resolve("corrupt.onnx");
        Files.write(corrupt, Arrays.copyOf(onnx, onnx.length - 200));
        run = importRecommender("onnx", corrupt, VECTORS, ITEMS, tmp.resolve("out-onnx"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(corrupt + ": not a loadable onnx model");

        // an ONNX file handed in as TorchScript
        run = importRecommender("torchscript", modelFile("onnx"), VECTORS, ITEMS, tmp.resolve("out-swap"), "--max-length", "20");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.onnx: not a loadable torchscript model");
        assertThat(tmp.resolve("out-pt")).doesNotExist();
        assertThat(tmp.resolve("out-onnx")).doesNotExist();
    }

    @Test
    void refusesWrongShapesAndDtypes(@TempDir Path tmp) throws IOException {
        Path narrow = writeNpy(tmp.resolve("narrow.npy"), "<f4", new int[] {60, 8}, 4);
        // the ONNX graph declares its output shape; TorchScript shows it in the probe forward pass
        Run run = importRecommender("onnx", modelFile("onnx"), narrow, ITEMS, tmp.resolve("out1"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.onnx: output has shape [-1, 16] but the item vectors have dimension 8");
        run = importRecommender("torchscript", modelFile("torchscript"), narrow, ITEMS, tmp.resolve("out1"), "--max-length", "20");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.pt: returns a float32 array of shape (2, 16) for a batch of 2, expected"
                + " float32 [2, 8]");

        Path int32 = EXPORTED.resolve("int32-history.onnx");
        run = importRecommender("onnx", int32, VECTORS, ITEMS, tmp.resolve("out1"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(int32 + ": input 'history' is ").contains("INT32")
                .contains("expected int64 history [batch, L]");

        Path doubles = writeNpy(tmp.resolve("doubles.npy"), "<f8", new int[] {60, 16}, 8);
        run = importRecommender("torchscript", modelFile("torchscript"), doubles, ITEMS, tmp.resolve("out2"), "--max-length", "20");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(doubles + ": float64 array of shape (60, 16), expected float32 [items, d]");

        Path flat = writeNpy(tmp.resolve("flat.npy"), "<f4", new int[] {960}, 4);
        run = importRecommender("onnx", modelFile("onnx"), flat, ITEMS, tmp.resolve("out3"));
        assertThat(run.err()).contains(flat + ": float32 array of shape (960), expected float32 [items, d]");

        Path garbage = tmp.resolve("garbage.npy");
        Files.writeString(garbage, "not an array at all");
        run = importRecommender("onnx", modelFile("onnx"), garbage, ITEMS, tmp.resolve("out4"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(garbage + ": not a readable .npy array");
    }

    @Test
    void refusesAnItemCountMismatchAndMissingFiles(@TempDir Path tmp) throws IOException {
        Path fewer = tmp.resolve("items.txt");
        Files.write(fewer, Files.readAllLines(ITEMS).subList(0, 59), StandardCharsets.UTF_8);
        Run run = importRecommender("onnx", modelFile("onnx"), VECTORS, fewer, tmp.resolve("out1"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(VECTORS + ": 60 item vectors but " + fewer + " lists 59 items");

        Path missing = tmp.resolve("nowhere.pt");
        run = importRecommender("torchscript", missing, VECTORS, ITEMS, tmp.resolve("out2"), "--max-length", "20");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(missing + ": file is missing");
    }

    @Test
    void refusesAWrongOrMissingHistoryLengthAndAnUnknownFormat(@TempDir Path tmp) {
        Run run = importRecommender("onnx", modelFile("onnx"), VECTORS, ITEMS, tmp.resolve("out1"), "--max-length", "30");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.onnx: declares history length 20 but 30 was given");

        run = importRecommender("torchscript", modelFile("torchscript"), VECTORS, ITEMS, tmp.resolve("out2"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.pt: the model does not declare its history length L");

        // the TorchScript model adds a position table of exactly L rows: another length fails the probe
        run = importRecommender("torchscript", modelFile("torchscript"), VECTORS, ITEMS, tmp.resolve("out3"), "--max-length", "25");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.pt: forward pass on int64 [2, 25] failed");

        run = importRecommender("savedmodel", modelFile("onnx"), VECTORS, ITEMS, tmp.resolve("out4"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown model format 'savedmodel', expected one of [torchscript, onnx]");
    }

    @Test
    void refusesANonEmptyOutputAndATamperedArtifact(@TempDir Path tmp) throws IOException {
        Run run = importRecommender("onnx", modelFile("onnx"), VECTORS, ITEMS, imported("onnx"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not empty");

        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(imported("onnx"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(copy.resolve("model.json"), Files.readString(copy.resolve("model.json")).replace("20", "21"));
        assertThatThrownBy(() -> SequenceRecommender.load(copy)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("file 'model.json' has sha256");
    }

    /** A .npy file (format 1.0, C order) of the given little-endian dtype ({@code <f4} or {@code <f8}). */
    static Path writeNpy(Path file, String dtype, int[] shape, int bytesPerValue) throws IOException {
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + Arrays.stream(shape).mapToObj(Integer::toString).reduce((a, b) -> a + ", " + b).orElseThrow() + ")";
        StringBuilder header = new StringBuilder("{'descr': '" + dtype + "', 'fortran_order': False, 'shape': "
                + shapeText + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        ByteBuffer bytes = ByteBuffer.allocate(10 + header.length() + count * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bytes.putShort((short) header.length()).put(header.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < count; i++) {
            if (bytesPerValue == 4) {
                bytes.putFloat(0.01f * (i % 97));
            } else {
                bytes.putDouble(0.01 * (i % 97));
            }
        }
        return Files.write(file, bytes.array());
    }
}
