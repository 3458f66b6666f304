package io.serendip.ml.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full-ranking metrics for one held-out target: its rank among all catalog items, with the user's history items
 * (other than the target) excluded, ties counted against the target.
 */
public final class RankingMetrics {
    public static final int[] DEFAULT_CUTOFFS = {10, 20};

    private RankingMetrics() {
    }

    /**
     * 0-based rank of {@code target}: the number of non-excluded items scored higher than, or equal to, the
     * target. A NaN target score ranks last.
     */
    public static int rank(float[] scores, int target, int[] excluded) {
        float targetScore = scores[target];
        boolean[] skip = new boolean[scores.length];
        int skipped = 0;
        for (int item : excluded) {
            if (item != target && !skip[item]) {
                skip[item] = true;
                skipped++;
            }
        }
        if (Float.isNaN(targetScore)) {
            return scores.length - 1 - skipped;
        }
        int rank = 0;
        for (int i = 0; i < scores.length; i++) {
            if (i != target && !skip[i] && scores[i] >= targetScore) {
                rank++;
            }
        }
        return rank;
    }

    public static double hit(int rank, int k) {
        return rank < k ? 1.0 : 0.0;
    }

    /** NDCG with one relevant item: 1 / log2(rank + 2) inside the cut-off. */
    public static double ndcg(int rank, int k) {
        return rank < k ? 1.0 / (Math.log(rank + 2) / Math.log(2)) : 0.0;
    }

    /** Averages HR@K and NDCG@K over many ranks. Not thread-safe. */
    public static final class Accumulator {
        private final int[] cutoffs;
        private final double[] hits;
        private final double[] ndcgs;
        private long count;

        public Accumulator(int... cutoffs) {
            this.cutoffs = cutoffs.length == 0 ? DEFAULT_CUTOFFS.clone() : cutoffs.clone();
            this.hits = new double[this.cutoffs.length];
            this.ndcgs = new double[this.cutoffs.length];
        }

        public void add(int rank) {
            for (int i = 0; i < cutoffs.length; i++) {
                hits[i] += hit(rank, cutoffs[i]);
                ndcgs[i] += RankingMetrics.ndcg(rank, cutoffs[i]);
            }
            count++;
        }

        public long count() {
            return count;
        }

        public double hitRate(int k) {
            return mean(hits, k);
        }

        public double ndcg(int k) {
            return mean(ndcgs, k);
        }

        private double mean(double[] sums, int k) {
            for (int i = 0; i < cutoffs.length; i++) {
                if (cutoffs[i] == k) {
                    return count == 0 ? 0.0 : sums[i] / count;
                }
            }
            throw new IllegalArgumentException("cut-off " + k + " not tracked");
        }

        /** {@code HR@K} and {@code NDCG@K} for every cut-off, in cut-off order. */
        public Map<String, Double> result() {
            Map<String, Double> result = new LinkedHashMap<>();
            for (int k : cutoffs) {
                result.put("HR@" + k, hitRate(k));
                result.put("NDCG@" + k, ndcg(k));
            }
            return result;
        }
    }
}
