package io.serendip.ml.recommender;

import io.serendip.ml.transformer.CausalLmTrainer;
import io.serendip.ml.transformer.TransformerConfig;
import io.serendip.ml.transformer.TokenExample;
import io.serendip.ml.transformer.TrainingOptions;

import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.eval.LeaveOneOutSplit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequenceRecommenderTest {

    private static final int ITEMS = 40;
    private static SequenceRecommenderTrainer.Trained trained;
    private static List<int[]> sequences;

    /**
     * Planted structure: after item i the next item is (i + 1) mod ITEMS with probability 0.85, otherwise a
     * uniformly random item. Item popularity is flat, so a popularity ranking cannot find the next item.
     */
    static List<int[]> plantedSequences(int users, long seed) {
        Random random = new Random(seed);
        List<int[]> result = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int[] sequence = new int[12 + random.nextInt(10)];
            sequence[0] = random.nextInt(ITEMS);
            for (int i = 1; i < sequence.length; i++) {
                sequence[i] = random.nextDouble() < 0.85 ? (sequence[i - 1] + 1) % ITEMS : random.nextInt(ITEMS);
            }
            result.add(sequence);
        }
        return result;
    }

    @BeforeAll
    static void train() {
        // one PyTorch thread: see NovelInterestModelTest
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        sequences = plantedSequences(300, 7);
        TrainingOptions options = new TrainingOptions(12, 64, 0.005f, 3, 42);
        trained = SequenceRecommenderTrainer.train(LeaveOneOutSplit.of(sequences, ITEMS, 3), 16, 32, 1, 2, 0.1f, options, System.out::println);
    }

    private static ItemIndex itemIndex() {
        List<String> ids = new ArrayList<>();
        for (int item = 0; item < ITEMS; item++) {
            ids.add("item-" + item);
        }
        return ItemIndex.of(ids);
    }

    @Test
    void learnsPlantedTransitionsFarAbovePopularity() {
        // With flat popularity and history exclusion, a popularity ranking hits the target in the top 10
        // for roughly 10 / (ITEMS - history) of the users; the planted successor is found far more often.
        assertThat(trained.test().cases()).isEqualTo(300);
        assertThat(trained.test().hitRate10()).isGreaterThan(0.7);
        assertThat(trained.test().ndcg10()).isGreaterThan(0.5);
        assertThat(trained.validation().ndcg10()).isGreaterThan(0.5);
    }

    @Test
    void topScoredItemAfterAHistoryIsItsPlantedSuccessor() {
        float[] scores = trained.recommender().scoreAll(trained.recommender().encode(new int[] {3, 4, 5, 6}));
        int best = 0;
        for (int item = 1; item < scores.length; item++) {
            if (scores[item] > scores[best]) {
                best = item;
            }
        }
        assertThat(best).isEqualTo(7);
    }

    @Test
    void savedArtifactLoadsBackWithIdenticalScores(@TempDir Path dir) throws Exception {
        Path artifact = dir.resolve("recommender");
        trained.save(artifact, itemIndex(), Map.of("sequences", "0".repeat(64)));
        assertThat(artifact.resolve("manifest.json")).exists();
        assertThat(artifact.resolve(RecommenderHyperparameters.FILE_NAME)).exists();
        int[] history = sequences.get(0);
        float[] expectedState = trained.recommender().encode(history);
        try (SequenceRecommender loaded = SequenceRecommender.load(artifact)) {
            assertThat(loaded.itemCount()).isEqualTo(ITEMS);
            assertThat(loaded.maxHistory()).isEqualTo(16);
            float[] state = loaded.encode(history);
            assertThat(state).containsExactly(expectedState);
            assertThat(loaded.scoreAll(state)).containsExactly(trained.recommender().scoreAll(expectedState));
            float[] all = loaded.scoreAll(state);
            assertThat(loaded.scoreCandidates(state, new int[] {5, 0, 39})).containsExactly(all[5], all[0], all[39]);
        }
    }

    @Test
    void concurrentEncodesMatchSequentialOnes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int u = 0; u < 40; u++) {
                int[] history = sequences.get(u);
                futures.add(pool.submit(() -> trained.recommender().encode(history)));
            }
            for (int u = 0; u < 40; u++) {
                assertThat(futures.get(u).get()).containsExactly(trained.recommender().encode(sequences.get(u)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptParametersAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path artifact = dir.resolve("recommender");
        trained.save(artifact, itemIndex(), Map.of());
        Path params = Files.list(artifact).filter(p -> p.getFileName().toString().endsWith(".params")).findFirst()
                .orElseThrow();
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(params, bytes);
        assertThatThrownBy(() -> SequenceRecommender.load(artifact))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining(params.getFileName().toString());
    }

    @Test
    void inferenceLeavesNoArrayBehindInTheModelsManager() {
        TransformerSequenceRecommender recommender = (TransformerSequenceRecommender) trained.recommender();
        ai.djl.ndarray.NDManager manager = recommender.runner().parentManager();
        recommender.encode(new int[] {1, 2, 3});
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 50; i++) {
            recommender.encode(new int[] {i % ITEMS, (i + 1) % ITEMS});
            recommender.runner().nextTokenScores(new int[][] {{1, 2}, {3}});
        }
        assertThat(manager.getManagedArrays()).as("arrays left in the model's manager").hasSize(before);
    }

    @Test
    void itemEmbeddingsStartFromTheGivenVectors() {
        int hidden = 16;
        TransformerConfig config = new TransformerConfig(ITEMS + 1, 8, hidden, 1, 2, 0.1f);
        List<TokenExample> examples = new ArrayList<>();
        for (int[] sequence : sequences.subList(0, 20)) {
            int[] tokens = java.util.Arrays.stream(sequence).map(item -> item + 1).toArray();
            examples.addAll(TokenExample.windows(tokens, 8));
        }
        float[] start = new float[ITEMS * hidden];
        Random random = new Random(3);
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (random.nextGaussian() * 0.02);
        }
        // A learning rate of 1e-30: one epoch leaves every (float) weight where it started.
        CausalLmTrainer.Result result = CausalLmTrainer.train("init", config, examples,
                new TrainingOptions(1, 64, 1e-30f, 1, 42), start, runner -> 0, line -> { });
        try {
            float[] table = result.block().tokenEmbedding().getArray().toFloatArray();
            assertThat(java.util.Arrays.copyOfRange(table, hidden, table.length)).containsExactly(start);
        } finally {
            result.model().close();
        }
        assertThatThrownBy(() -> CausalLmTrainer.train("init", config, examples, new TrainingOptions(1, 64, 1e-30f, 1, 42),
                new float[3], runner -> 0, line -> { })).hasMessageContaining("tokenEmbeddings must hold 40 x 16 values");
    }

    @Test
    void hyperparametersThatAreJsonNullAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(RecommenderHyperparameters.FILE_NAME), "null");
        assertThatThrownBy(() -> RecommenderHyperparameters.read(dir))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining(RecommenderHyperparameters.FILE_NAME)
                .hasMessageContaining("expected an object");
    }

    @Test
    void badInputsAreRejectedWithTheFieldNamed() {
        SequenceRecommender recommender = trained.recommender();
        assertThatThrownBy(() -> recommender.encode(new int[0])).hasMessageContaining("history is empty");
        assertThatThrownBy(() -> recommender.encode(new int[] {1, ITEMS})).hasMessageContaining("history[1]");
        assertThatThrownBy(() -> recommender.scoreAll(new float[3])).hasMessageContaining("userState");
        float[] state = recommender.encode(new int[] {1});
        assertThatThrownBy(() -> recommender.scoreCandidates(state, new int[] {-1}))
                .hasMessageContaining("candidates[0]");
    }

    @Test
    void windowsCoverEveryNextTokenExactlyOnce() {
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8};
        List<TokenExample> rows = TokenExample.windows(tokens, 3);
        List<Integer> targets = new ArrayList<>();
        for (TokenExample row : rows) {
            assertThat(row.input().length).isLessThanOrEqualTo(3);
            for (int i = 0; i < row.input().length; i++) {
                assertThat(row.target()[i]).isEqualTo(row.input()[i] + 1);
                targets.add(row.target()[i]);
            }
        }
        assertThat(targets).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8);
    }
}
