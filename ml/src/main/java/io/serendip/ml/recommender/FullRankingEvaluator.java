package io.serendip.ml.recommender;

import io.serendip.ml.eval.RankingMetrics;

import java.util.List;

/**
 * Leave-one-out full-ranking accuracy of a recommender: each held-out target is ranked against every
 * catalog item except those already in the history ({@link RankingMetrics#rank}). HR@K and NDCG@K for
 * K = 10 and 20. Histories are encoded in batches, one forward pass per batch.
 */
public final class FullRankingEvaluator {

    /** Mean metrics over the evaluated cases. */
    public record Accuracy(long cases, double hitRate10, double ndcg10, double hitRate20, double ndcg20) {
    }

    /** One held-out case: the history the model reads and the item that followed. */
    public record Case(int[] history, int target) {
    }

    private static final int BATCH = 256;

    private FullRankingEvaluator() {
    }

    public static Accuracy evaluate(TransformerSequenceRecommender recommender, List<Case> cases) {
        RankingMetrics.Accumulator accumulator = new RankingMetrics.Accumulator(10, 20);
        for (int from = 0; from < cases.size(); from += BATCH) {
            List<Case> batch = cases.subList(from, Math.min(cases.size(), from + BATCH));
            int[][] histories = batch.stream().map(Case::history).toArray(int[][]::new);
            float[][] states = recommender.encodeAll(histories);
            for (int i = 0; i < batch.size(); i++) {
                accumulator.add(RankingMetrics.rank(recommender.scoreAll(states[i]), batch.get(i).target(),
                        histories[i]));
            }
        }
        return new Accuracy(accumulator.count(), accumulator.hitRate(10), accumulator.ndcg(10),
                accumulator.hitRate(20), accumulator.ndcg(20));
    }
}
