package io.serendip.ml.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.NoveltyTable;
import io.serendip.ml.jobs.JobCommands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The job end to end on planted data: a passing model is written and loads, a gated-out one is not written. */
class TrainInterestModelCommandTest {

    @TempDir
    static Path dir;
    private static Path dataset;
    private static Path clustersDir;

    @BeforeAll
    static void writeInputs() throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        PlantedInterests.writeInputs(dir, 300, 5);
        clustersDir = dir.resolve("clusters");
        dataset = dir.resolve("data");
    }

    private static int run(Path output, String epochs, String learningRate) {
        return run(new StringWriter(), output, epochs, learningRate);
    }

    private static int run(StringWriter err, Path output, String epochs, String learningRate, String... more) {
        CommandLine command = new CommandLine(new TrainInterestModelCommand());
        command.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("--model", "from-scratch", "--dataset", dataset.toString(),
                "--clusters", clustersDir.toString(), "--output", output.toString(), "--hidden", "32", "--layers", "1",
                "--dropout", "0", "--epochs", epochs, "--learning-rate", learningRate, "--batch-size", "64",
                "--max-gate-cases", "200", "--torch-threads", "1"));
        args.addAll(List.of(more));
        return command.execute(args.toArray(String[]::new));
    }

    @Test
    void writesAnArtifactThatLoadsWhenTheGatesPass() throws Exception {
        Path output = dir.resolve("interest");
        Path report = dir.resolve("passed-gates.json");
        assertThat(run(new StringWriter(), output, "8", "0.005", "--gate-report", report.toString())).isZero();
        ArtifactManifest manifest = ArtifactManifest.read(output);
        // the gate report says what the manifest records
        JsonNode gates = new ObjectMapper().readTree(report.toFile());
        assertThat(gates.path("passed").asBoolean()).isTrue();
        assertThat(gates.path("failures")).isEmpty();
        assertThat(gates.path("exactMatchRate").asDouble()).isEqualTo(manifest.metrics().get("exact_match_rate"));
        assertThat(gates.path("recall").asDouble()).isEqualTo(manifest.metrics().get("test_recall"));
        assertThat(gates.at("/baselineRecall/transition-frequency").asDouble())
                .isEqualTo(manifest.metrics().get("baseline_recall_transition-frequency"));
        assertThat(manifest.kind()).isEqualTo(TransformerInterestModel.KIND);
        assertThat(manifest.metrics()).containsKeys("exact_match_rate", "test_recall",
                "baseline_recall_transition-frequency", "baseline_recall_random");
        ClusterSet clusters = ClusterSet.load(clustersDir);
        try (NovelInterestModel model = NovelInterestModel.load(output, clusters)) {
            assertThat(model.novelInterests(new int[] {3, 4}, 2)).hasSize(2);
        }

        // the artifact feeds the novelty-table precompute through the model extension
        CommandLine job = new CommandLine(new JobRoot());
        JobCommands.all().forEach(job::addSubcommand);
        Path table = dir.resolve("table");
        assertThat(job.execute("precompute-novelty", "--dataset", dataset.toString(), "--clusters",
                clustersDir.toString(), "--interest-model", output.toString(), "--top-n", "3", "--output",
                table.toString())).isZero();
        try (NoveltyTable novelty = NoveltyTable.open(table, clusters)) {
            int planted = 0;
            for (int c = 0; c < PlantedInterests.CLUSTERS; c++) {
                int previous = (c + PlantedInterests.CLUSTERS - 1) % PlantedInterests.CLUSTERS;
                int[] row = novelty.novelClusters(previous, c);
                assertThat(row).hasSize(3).doesNotContain(previous, c).doesNotHaveDuplicates();
                planted += row[0] == (c + 1) % PlantedInterests.CLUSTERS ? 1 : 0;
            }
            assertThat(planted).isGreaterThanOrEqualTo(8);
        }
    }

    @CommandLine.Command(name = "job")
    static final class JobRoot {
    }

    @Test
    void theSameSeedTrainsTheSameModelBitForBitInOneJvm() {
        // several runs in one JVM with garbage collections between them: a tensor autograd kept over freed Java
        // memory once made later runs differ (CausalTransformerBlock's attention scale)
        Path first = dir.resolve("repeat-1");
        Path second = dir.resolve("repeat-2");
        assertThat(run(first, "8", "0.005")).isZero();
        System.gc();
        assertThat(run(second, "8", "0.005")).isZero();
        assertThat(ArtifactManifest.read(first).files().keySet()).anyMatch(name -> name.endsWith(".params"));
        assertThat(ArtifactManifest.read(second).files()).isEqualTo(ArtifactManifest.read(first).files());
    }

    @Test
    void aRunThatDivergesSaysSoWithItsNumbersAndWritesNothing() {
        Path output = dir.resolve("diverged");
        StringWriter err = new StringWriter();
        assertThat(run(err, output, "3", "1e30")).isEqualTo(TrainInterestModelCommand.DIVERGED);
        assertThat(err.toString()).contains("training diverged in epoch 1", "learning rate 1.0E30",
                "no artifact written");
        assertThat(output).doesNotExist();
    }

    @Test
    void exitsNonZeroAndWritesNothingWhenAGateFails() throws Exception {
        Path output = dir.resolve("untrained");
        Path report = dir.resolve("failed-gates.json");
        assertThat(run(new StringWriter(), output, "1", "0.000001", "--gate-report", report.toString()))
                .isEqualTo(TrainInterestModelCommand.GATE_FAILED);
        assertThat(output).doesNotExist();
        // the numbers of the missed gate are kept, for the model's status
        JsonNode gates = new ObjectMapper().readTree(report.toFile());
        assertThat(gates.path("passed").asBoolean()).isFalse();
        assertThat(gates.path("cases").asInt()).isPositive();
        assertThat(gates.path("failures").toString()).contains("exact-match rate");
        assertThat(gates.path("exactMatchRate").asDouble()).isLessThan(GateReport.MIN_EXACT_MATCH_RATE);
    }

    @Test
    void aBaseModelThatIsNotThereIsRefusedAsUnusableInputBeforeAnyTraining() {
        Path output = dir.resolve("no-base");
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new TrainInterestModelCommand());
        command.setErr(new PrintWriter(err));
        int exit = command.execute("--model", "llm", "--dataset", dataset.toString(), "--clusters",
                clustersDir.toString(), "--output", output.toString(), "--base", dir.resolve("missing.gguf").toString());
        // exit 2 is final for the training Job (its pod failure policy): the model's Trained condition names it
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--base " + dir.resolve("missing.gguf") + ": no such file or directory");
        assertThat(output).doesNotExist();
    }
}
