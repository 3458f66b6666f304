package io.serendip.ml.eval;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.HistoryRows;
import io.serendip.ml.novelty.NoveltySource;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exploration metrics of a novelty source on a {@link HistoryFutureSplit}. For each user the source sees the last
 * {@code k} distinct clusters of the history and proposes {@code n} clusters; each proposed cluster is grounded to
 * the best-scored item inside it (history items excluded) by a next-item scorer.
 *
 * <ul>
 *   <li>{@code validClusterRate}: share of proposals that are existing clusters, outside the k-history, not repeated;
 *   <li>{@code novelRecall@1}: share of users whose first proposal appears among the clusters of their later history
 *       (the paper's test recall); {@code newInterestRecall@1}: the same, counting only a first proposal that is in
 *       none of the history's clusters (a truly new interest); {@code novelHit@n}: any of the n does;
 *       {@code novelPrecision@n}: share of the n that do;
 *   <li>{@code exploredOutsideHistoryShare}: share of grounded items whose cluster is in none of the user's history
 *       clusters (not only the last k);
 *   <li>{@code clusterCoverage}: distinct proposed clusters over all clusters.
 * </ul>
 */
public final class ExplorationEvaluator {
    private ExplorationEvaluator() {
    }

    public static Map<String, Double> evaluate(HistoryFutureSplit split, ClusterSet clusters, int k, int n,
                                               NoveltySource source, NextItemScorer grounding) {
        int clusterCount = clusters.clusterCount();
        HistoryRows rows = new HistoryRows(clusterCount, k);
        long proposals = 0;
        long valid = 0;
        long recallAt1 = 0;
        long newInterestAt1 = 0;
        long hitAtN = 0;
        long foundInFuture = 0;
        long grounded = 0;
        long groundedOutside = 0;
        BitSet covered = new BitSet(clusterCount);
        java.util.List<int[]> contexts = new java.util.ArrayList<>(split.size());
        for (int[] history : split.histories()) {
            int[] clusterHistory = new int[history.length];
            for (int i = 0; i < history.length; i++) {
                clusterHistory[i] = clusters.clusterOf(history[i]);
            }
            contexts.add(rows.lastDistinct(clusterHistory));
        }
        int[][] proposedAll = source.novelClusters(contexts, n);
        for (int u = 0; u < split.size(); u++) {
            int[] history = split.histories().get(u);
            int[] clusterHistory = new int[history.length];
            BitSet historyClusters = new BitSet(clusterCount);
            for (int i = 0; i < history.length; i++) {
                clusterHistory[i] = clusters.clusterOf(history[i]);
                historyClusters.set(clusterHistory[i]);
            }
            BitSet futureClusters = new BitSet(clusterCount);
            for (int item : split.futures().get(u)) {
                futureClusters.set(clusters.clusterOf(item));
            }
            int[] context = contexts.get(u);
            int[] proposed = proposedAll[u];
            float[] scores = grounding == null ? null : grounding.scoreAll(history);
            BitSet seen = new BitSet(clusterCount);
            boolean anyHit = false;
            boolean firstProposal = true;
            for (int c : proposed) {
                proposals++;
                boolean first = firstProposal;
                firstProposal = false;
                boolean ok = c >= 0 && c < clusterCount && !seen.get(c) && !contains(context, c);
                if (!ok) {
                    continue;
                }
                seen.set(c);
                valid++;
                covered.set(c);
                boolean hit = futureClusters.get(c);
                if (hit) {
                    foundInFuture++;
                    anyHit = true;
                    if (first) {
                        recallAt1++;
                        newInterestAt1 += historyClusters.get(c) ? 0 : 1;
                    }
                }
                if (scores != null) {
                    int item = bestItem(clusters.itemsOf(c), scores, history);
                    if (item >= 0) {
                        grounded++;
                        groundedOutside += historyClusters.get(clusters.clusterOf(item)) ? 0 : 1;
                    }
                }
            }
            hitAtN += anyHit ? 1 : 0;
        }
        int users = split.size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("users", (double) users);
        metrics.put("validClusterRate", proposals == 0 ? 0.0 : (double) valid / proposals);
        metrics.put("novelRecall@1", users == 0 ? 0.0 : (double) recallAt1 / users);
        metrics.put("newInterestRecall@1", users == 0 ? 0.0 : (double) newInterestAt1 / users);
        metrics.put("novelHit@" + n, users == 0 ? 0.0 : (double) hitAtN / users);
        metrics.put("novelPrecision@" + n, valid == 0 ? 0.0 : (double) foundInFuture / valid);
        metrics.put("exploredOutsideHistoryShare", grounded == 0 ? 0.0 : (double) groundedOutside / grounded);
        metrics.put("clusterCoverage", (double) covered.cardinality() / clusterCount);
        return metrics;
    }

    /** Highest-scored member not already in the history; restricted retrieval costs O(cluster size). */
    static int bestItem(int[] members, float[] scores, int[] history) {
        int best = -1;
        for (int item : members) {
            if (contains(history, item)) {
                continue;
            }
            if (best < 0 || scores[item] > scores[best]) {
                best = item;
            }
        }
        return best;
    }

    static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
