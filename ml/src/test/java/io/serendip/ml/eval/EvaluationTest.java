package io.serendip.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.cluster.ClusterBuilder;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.SyntheticGenerator;
import io.serendip.ml.embed.CooccurrenceEmbedder;
import io.serendip.ml.embed.ItemEmbeddings;
import io.serendip.ml.novelty.NoveltySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
    @TempDir
    Path dir;

    @Test
    void itemTransitionBaselineUsesTheLastItemThenPopularity() {
        List<int[]> training = List.of(new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 2}, new int[] {3, 3, 3, 3});
        ItemTransitionScorer scorer = new ItemTransitionScorer(training, 5);
        float[] scores = scorer.scoreAll(new int[] {4, 0});
        assertThat(scores[1]).isGreaterThan(scores[2]);
        assertThat(scores[2]).isGreaterThan(scores[3]); // one transition beats any popularity
        assertThat(scores[3]).isGreaterThan(scores[4]); // popularity breaks ties
        assertThat(new PopularityScorer(training, 5).scoreAll(new int[0])).containsExactly(3, 2, 1, 4, 0);
    }

    @Test
    void baselinesBeatRandomOnPlantedStructureAndReportIsWritten() throws Exception {
        Dataset data = SyntheticGenerator.generate(new SyntheticGenerator.Options(160, 700, 8, 14, 21));
        List<int[]> sequences = data.positiveSequences().sequences();
        int items = data.catalog().size();
        float[] vectors = CooccurrenceEmbedder.embed(sequences, items, 16, 3, 1);
        ClusterSet clusters = ClusterBuilder.build(data.catalog(), new ItemEmbeddings(data.catalog().index(), 16, vectors),
                new int[] {8}, 3, 5).clusters();

        // plugged-in sources and scorers are built from the split they are given
        Function<HistoryFutureSplit, NoveltySource> plugged = split -> {
            NoveltySource random = new io.serendip.ml.novelty.RandomNoveltySource(clusters.clusterCount(), 99);
            return new NoveltySource() {
                @Override
                public int[] novelClusters(int[] history, int n) {
                    return random.novelClusters(history, n);
                }

                @Override
                public String name() {
                    return "plugged";
                }
            };
        };
        Function<LeaveOneOutSplit, NextItemScorer> pluggedScorer = split -> NextItemScorer.of("plugged-popularity",
                new PopularityScorer(split.trainingSequencesWithValidation(), items)::scoreAll);
        EvaluationReport report = Evaluation.run(sequences, clusters,
                new Evaluation.Options("synthetic", 2, 3, 7, List.of(pluggedScorer), List.of(plugged)), line -> { });

        assertThat(report.accuracy()).containsOnlyKeys("popularity", "item-transition", "plugged-popularity");
        assertThat(report.accuracy().get("plugged-popularity")).isEqualTo(report.accuracy().get("popularity"));
        Map<String, Double> frequency = report.exploration().get("transition-frequency");
        Map<String, Double> random = report.exploration().get("random");
        assertThat(frequency.get("validClusterRate")).isEqualTo(1.0);
        assertThat(random.get("validClusterRate")).isEqualTo(1.0);
        // the planted "next topic" transitions make the crowd baseline clearly better than chance
        assertThat(frequency.get("novelRecall@1")).isGreaterThan(random.get("novelRecall@1") + 0.1);
        assertThat(frequency.get("clusterCoverage")).isBetween(0.0, 1.0);
        assertThat(frequency.get("newInterestRecall@1")).isBetween(0.0, frequency.get("novelRecall@1"));
        assertThat(report.exploration()).containsKey("plugged");

        Map<String, Double> slates = report.slates().get("item-transition");
        assertThat(slates).containsKeys("HR@10 explore=0", "HR@10 explore=5");
        // same protocol as the ranking metrics; only ties may favour the slate (ranks count ties against the target)
        double ranked = report.accuracy().get("item-transition").get("HR@10");
        assertThat(slates.get("HR@10 explore=0")).isBetween(ranked, ranked + 0.02);
        assertThat(slates.get("hits from exploration, explore=0")).isZero();
        assertThat(slates.get("hits from exploration, explore=3")).isPositive();

        report.writeTo(dir);
        assertThat(Files.readString(dir.resolve(EvaluationReport.SLATE_CHART))).contains("explore=5");
        assertThat(Files.readString(dir.resolve(EvaluationReport.MARKDOWN_FILE))).contains("| popularity |")
                .contains("transition-frequency");
        assertThat(Files.readString(dir.resolve(EvaluationReport.SIZES_CHART))).startsWith("<svg").contains("<rect");
        assertThat(Files.readString(dir.resolve(EvaluationReport.JSON_FILE))).contains("\"novelRecall@1\"");
    }

    @Test
    void topKKeepsTheBestUnexcludedItemsInOrder() {
        float[] scores = {0.5f, 0.9f, 0.1f, 0.9f, 0.7f};
        assertThat(TopK.indices(scores, 3, new int[0])).containsExactly(1, 3, 4);
        assertThat(TopK.indices(scores, 3, new int[] {1})).containsExactly(3, 4, 0);
        assertThat(TopK.indices(scores, 10, new int[] {0, 1, 2})).containsExactly(3, 4);
        assertThat(TopK.indices(scores, 0, new int[0])).isEmpty();
    }

    @Test
    void explorationCountsInvalidProposals() {
        int[] assignment = {0, 0, 1, 1, 2, 2, 3, 3};
        ClusterSet clusters = ClusterSet.of(io.serendip.ml.artifact.ItemIndex.of(List.of("a", "b", "c", "d", "e", "f", "g", "h")),
                List.of(new ClusterSet.Level(assignment, null, List.of(List.of("w"), List.of("x"), List.of("y"), List.of("z")))), -1);
        HistoryFutureSplit split = new HistoryFutureSplit(List.of(new int[] {0, 2}), List.of(new int[] {4}));
        NoveltySource bad = new NoveltySource() {
            @Override
            public int[] novelClusters(int[] history, int n) {
                return history.length == 2 ? new int[] {1, 2, 2, 9} : new int[0];
            }

            @Override
            public String name() {
                return "bad";
            }
        };
        Map<String, Double> metrics = ExplorationEvaluator.evaluate(split, clusters, 2, 4, bad,
                NextItemScorer.of("flat", h -> new float[8]));
        assertThat(metrics.get("validClusterRate")).isEqualTo(0.25); // 1 is history, 2 repeated, 9 unknown
        // cluster 2 (item 4) is in the later history, but the first proposal (1) was invalid
        assertThat(metrics.get("novelRecall@1")).isEqualTo(0.0);
        assertThat(metrics.get("novelHit@4")).isEqualTo(1.0);
        assertThat(metrics.get("newInterestRecall@1")).isEqualTo(0.0);
        assertThat(metrics.get("exploredOutsideHistoryShare")).isEqualTo(1.0);
        assertThat(metrics.get("clusterCoverage")).isEqualTo(0.25);
    }
}
