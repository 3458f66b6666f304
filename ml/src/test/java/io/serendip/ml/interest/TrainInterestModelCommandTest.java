package io.serendip.ml.interest;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.CatalogItem;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.Interaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
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
        ClusterSet clusters = PlantedInterests.clusters();
        clustersDir = dir.resolve("clusters");
        clusters.writeFiles(clustersDir);
        ArtifactManifest.builder(ClusterSet.KIND).write(clustersDir);
        List<CatalogItem> items = new ArrayList<>();
        for (String id : clusters.items().ids()) {
            items.add(new CatalogItem(id, id, id, List.of()));
        }
        List<Interaction> interactions = new ArrayList<>();
        List<int[]> sequences = PlantedInterests.itemSequences(300, 5);
        for (int u = 0; u < sequences.size(); u++) {
            int[] sequence = sequences.get(u);
            for (int i = 0; i < sequence.length; i++) {
                interactions.add(new Interaction("user-" + u, clusters.items().idOf(sequence[i]), 1_000L + i, null, 5.0));
            }
        }
        dataset = dir.resolve("data");
        new Dataset(new Catalog(items), interactions).write(dataset);
    }

    private static int run(Path output, String epochs, String learningRate) {
        return new CommandLine(new TrainInterestModelCommand()).execute("--dataset", dataset.toString(),
                "--clusters", clustersDir.toString(), "--output", output.toString(), "--hidden", "32", "--layers", "1",
                "--dropout", "0", "--epochs", epochs, "--learning-rate", learningRate, "--batch-size", "64",
                "--max-gate-cases", "200", "--torch-threads", "1");
    }

    @Test
    void writesAnArtifactThatLoadsWhenTheGatesPass() {
        Path output = dir.resolve("interest");
        assertThat(run(output, "8", "0.005")).isZero();
        ArtifactManifest manifest = ArtifactManifest.read(output);
        assertThat(manifest.kind()).isEqualTo(TransformerInterestModel.KIND);
        assertThat(manifest.metrics()).containsKeys("exact_match_rate", "test_recall",
                "baseline_recall_transition-frequency", "baseline_recall_random");
        try (NovelInterestModel model = NovelInterestModel.load(output, ClusterSet.load(clustersDir))) {
            assertThat(model.novelInterests(new int[] {3, 4}, 2)).hasSize(2);
        }
    }

    @Test
    void exitsNonZeroAndWritesNothingWhenAGateFails() {
        Path output = dir.resolve("untrained");
        assertThat(run(output, "1", "0.000001")).isEqualTo(TrainInterestModelCommand.GATE_FAILED);
        assertThat(output).doesNotExist();
    }
}
