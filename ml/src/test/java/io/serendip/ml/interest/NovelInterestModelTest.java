package io.serendip.ml.interest;

import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.transformer.TrainingOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NovelInterestModelTest {

    private static ClusterSet clusters;
    private static InterestModelTrainer.Trained trained;

    static InterestTrainingSettings settings(int epochs, float learningRate) {
        return new InterestTrainingSettings(2, true, 32, 1, 2, 0.0f, 4, 3.0, 0.15, 11, 300, 0.05,
                new TrainingOptions(epochs, 64, learningRate, 3, 11));
    }

    @BeforeAll
    static void train() {
        // one PyTorch thread: the machine's two cores are shared with other builds, and spinning
        // intra-op threads on an oversubscribed CPU make training many times slower
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        clusters = PlantedInterests.clusters();
        trained = InterestModelTrainer.train(PlantedInterests.itemSequences(300, 5), clusters, settings(8, 0.005f),
                System.out::println);
    }

    @Test
    void passesTheQualityGatesAndBeatsTheRandomBaseline() {
        GateReport gates = trained.gates();
        assertThat(gates.cases()).isGreaterThan(60);
        assertThat(gates.failures()).isEmpty();
        assertThat(gates.exactMatchRate()).isGreaterThanOrEqualTo(0.9);
        assertThat(gates.constrainedValidRate()).isEqualTo(1.0);
        assertThat(gates.testRecall()).isGreaterThan(gates.baselineRecall().get("random") + 0.1);
    }

    @Test
    void generatesThePlantedNextClusterFirstForMostHistories() {
        int correct = 0;
        for (int c = 0; c < PlantedInterests.CLUSTERS; c++) {
            int previous = (c + PlantedInterests.CLUSTERS - 1) % PlantedInterests.CLUSTERS;
            List<NovelInterestModel.ScoredCluster> result = trained.model().novelInterests(new int[] {previous, c}, 3);
            assertThat(result).hasSize(3);
            if (result.get(0).cluster() == (c + 1) % PlantedInterests.CLUSTERS) {
                correct++;
            }
        }
        // the planted successor follows 75% of the time; a random novel cluster would be right 1 time in 8
        assertThat(correct).isGreaterThanOrEqualTo(8);
    }

    @Test
    void neverReturnsAHistoryClusterEvenWhenItIsTheLikeliestNext() {
        // (0, 1) is usually followed by 2: with 2 in the history the model must pick something else
        List<NovelInterestModel.ScoredCluster> result = trained.model().novelInterests(new int[] {2, 0, 1}, 9);
        assertThat(result).hasSize(7).extracting(NovelInterestModel.ScoredCluster::cluster)
                .doesNotContain(0, 1, 2).doesNotHaveDuplicates();
    }

    @Test
    void savedArtifactLoadsBackWithIdenticalGenerations(@TempDir Path dir) throws Exception {
        Path artifact = dir.resolve("interest");
        trained.save(artifact, Map.of("clusters", clusters.fingerprint()));
        try (NovelInterestModel loaded = NovelInterestModel.load(artifact, clusters)) {
            assertThat(loaded.historyLength()).isEqualTo(2);
            for (int[] history : List.of(new int[] {3, 4}, new int[] {7}, new int[0], new int[] {9, 0})) {
                assertThat(loaded.novelInterests(history, 4)).isEqualTo(trained.model().novelInterests(history, 4));
            }
        }
    }

    @Test
    void refusesAnotherClusterSetOrATamperedFile(@TempDir Path dir) throws Exception {
        Path artifact = dir.resolve("interest");
        trained.save(artifact, Map.of());
        assertThatThrownBy(() -> NovelInterestModel.load(artifact, PlantedInterests.otherClusters()))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("cluster set");
        Path vocabulary = artifact.resolve(TransformerInterestModel.VOCABULARY_FILE);
        Files.writeString(vocabulary, Files.readString(vocabulary).replace("outdoor", "seaside"));
        assertThatThrownBy(() -> NovelInterestModel.load(artifact, clusters))
                .isInstanceOf(ArtifactException.class).hasMessageContaining(TransformerInterestModel.VOCABULARY_FILE);
    }

    @Test
    void aModelThatMissesAGateIsNotWritten(@TempDir Path dir) {
        InterestModelTrainer.Trained untrained = InterestModelTrainer.train(PlantedInterests.itemSequences(40, 9),
                clusters, settings(1, 1e-6f), line -> { });
        try {
            assertThat(untrained.gates().passed()).isFalse();
            assertThat(untrained.gates().exactMatchRate()).isLessThan(0.9);
            // constrained decoding keeps every answer valid even for an untrained model
            assertThat(untrained.gates().constrainedValidRate()).isEqualTo(1.0);
            Path artifact = dir.resolve("interest");
            assertThatThrownBy(() -> untrained.save(artifact, Map.of())).hasMessageContaining("exact-match");
            assertThat(artifact).doesNotExist();
        } finally {
            untrained.model().close();
        }
    }

    @Test
    void rejectsOutOfRangeHistoryClusters() {
        assertThatThrownBy(() -> trained.model().novelInterests(new int[] {0, 99}, 1))
                .hasMessageContaining("historyClusters[1]");
    }
}
