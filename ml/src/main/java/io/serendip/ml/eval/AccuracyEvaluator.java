package io.serendip.ml.eval;

import java.util.Map;

/** Full-ranking leave-one-out accuracy of a next-item scorer (history items other than the target excluded). */
public final class AccuracyEvaluator {
    private AccuracyEvaluator() {
    }

    /** HR@K and NDCG@K (K = 10, 20) on the test targets (history = training prefix + validation item). */
    public static Map<String, Double> test(LeaveOneOutSplit split, NextItemScorer scorer) {
        RankingMetrics.Accumulator accumulator = new RankingMetrics.Accumulator(RankingMetrics.DEFAULT_CUTOFFS);
        for (LeaveOneOutSplit.UserSplit user : split.users()) {
            int[] history = user.testHistory();
            accumulator.add(RankingMetrics.rank(scorer.scoreAll(history), user.testTarget(), history));
        }
        return accumulator.result();
    }

    /** The same on the validation targets (history = training prefix), for model selection. */
    public static Map<String, Double> validation(LeaveOneOutSplit split, NextItemScorer scorer) {
        RankingMetrics.Accumulator accumulator = new RankingMetrics.Accumulator(RankingMetrics.DEFAULT_CUTOFFS);
        for (LeaveOneOutSplit.UserSplit user : split.users()) {
            int[] history = user.validHistory();
            accumulator.add(RankingMetrics.rank(scorer.scoreAll(history), user.validTarget(), history));
        }
        return accumulator.result();
    }
}
