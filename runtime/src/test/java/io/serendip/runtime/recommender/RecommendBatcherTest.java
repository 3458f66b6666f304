package io.serendip.runtime.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.serendip.config.RecommenderSettings;
import io.serendip.runtime.server.MicroBatcher;
import io.serendip.runtime.testing.TinyArtifacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One batched forward pass gives every request the slate it gets alone, also across model generations. */
class RecommendBatcherTest {
    @TempDir
    Path dir;

    @Test
    void batchedSlatesEqualTheSlatesOfOneRequestAtATime() throws Exception {
        TinyArtifacts artifacts = TinyArtifacts.build(dir);
        try (RecommenderModels first = load(artifacts); RecommenderModels second = load(artifacts)) {
            List<int[]> histories = TinyArtifacts.sequences(12, 7);
            List<MicroBatcher.Pending<RecommendBatcher.Job, Recommendation>> batch = new ArrayList<>();
            List<CompletableFuture<Recommendation>> results = new ArrayList<>();
            for (int i = 0; i < histories.size(); i++) {
                // Alternate generations, as requests leased before and after a hot swap would.
                RecommenderModels models = i % 2 == 0 ? first : second;
                MicroBatcher.Pending<RecommendBatcher.Job, Recommendation> pending =
                        pendingOf(new RecommendBatcher.Job(models, histories.get(i), 10, 3));
                batch.add(pending);
                results.add(pending.result());
            }
            RecommendBatcher.run(batch);

            assertThat(histories).hasSizeGreaterThan(1).allSatisfy(h -> assertThat(h).isNotEmpty());
            for (int i = 0; i < histories.size(); i++) {
                RecommenderModels models = i % 2 == 0 ? first : second;
                Recommendation alone = RecommendService.recommend(models, histories.get(i), 10, 3);
                Recommendation batched = results.get(i).get(1, TimeUnit.SECONDS);
                assertThat(batched.entries()).hasSize(alone.entries().size());
                for (int j = 0; j < alone.entries().size(); j++) {
                    assertThat(batched.entries().get(j).item()).isEqualTo(alone.entries().get(j).item());
                    assertThat(batched.entries().get(j).cluster()).isEqualTo(alone.entries().get(j).cluster());
                    assertThat(batched.entries().get(j).score()).isCloseTo(alone.entries().get(j).score(), within(1e-4f));
                }
                assertThat(batched.novelClusters()).containsExactly(alone.novelClusters());
            }
        }
    }

    @Test
    void anItemOutsideTheCatalogFailsItsGenerationsBatchWithTheModelsMessage() throws Exception {
        TinyArtifacts artifacts = TinyArtifacts.build(dir);
        try (RecommenderModels models = load(artifacts)) {
            var bad = pendingOf(new RecommendBatcher.Job(models, new int[] {TinyArtifacts.ITEMS + 5}, 10, 3));
            RecommendBatcher.run(List.of(bad));
            assertThat(bad.result()).isCompletedExceptionally();
            assertThatThrownBy(bad.result()::join).hasRootCauseMessage(
                    "history[0] = " + (TinyArtifacts.ITEMS + 5) + " is outside 0.." + (TinyArtifacts.ITEMS - 1));
        }
    }

    private static RecommenderModels load(TinyArtifacts artifacts) {
        return RecommenderModels.load(new RecommenderSettings(artifacts.modelDir.toString(),
                artifacts.clustersDir.toString(), artifacts.noveltyTable.toString(), 10, 0.3, null));
    }

    private static MicroBatcher.Pending<RecommendBatcher.Job, Recommendation> pendingOf(RecommendBatcher.Job job) {
        return MicroBatcher.Pending.of(job);
    }
}
