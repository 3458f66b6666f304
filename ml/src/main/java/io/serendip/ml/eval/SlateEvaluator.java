package io.serendip.ml.eval;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.HistoryRows;
import io.serendip.ml.novelty.NoveltySource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy against exploration share: on the leave-one-out test targets, a slate of {@code slateSize} items has
 * {@code e} exploration slots, each filled with the scorer's best unseen item inside one of the source's novel
 * clusters (restricted retrieval), and the rest with the scorer's overall best items. Reports HR@slateSize per
 * {@code e} and the share of hits that came from an exploration slot.
 */
public final class SlateEvaluator {
    private SlateEvaluator() {
    }

    public static Map<String, Double> evaluate(LeaveOneOutSplit split, ClusterSet clusters, int k, int slateSize,
                                               int[] explorationSlots, NextItemScorer scorer, NoveltySource source) {
        HistoryRows rows = new HistoryRows(clusters.clusterCount(), k);
        long[] hits = new long[explorationSlots.length];
        long[] explorationHits = new long[explorationSlots.length];
        int itemCount = split.itemCount();
        for (LeaveOneOutSplit.UserSplit user : split.users()) {
            int[] history = user.testHistory();
            float[] scores = scorer.scoreAll(history);
            boolean[] seen = new boolean[itemCount];
            int[] clusterHistory = new int[history.length];
            for (int i = 0; i < history.length; i++) {
                // Same protocol as RankingMetrics.rank: history items are excluded, except a repeated target.
                seen[history[i]] = history[i] != user.testTarget();
                clusterHistory[i] = clusters.clusterOf(history[i]);
            }
            int maxExploration = 0;
            for (int e : explorationSlots) {
                maxExploration = Math.max(maxExploration, e);
            }
            int[] novel = source.novelClusters(rows.lastDistinct(clusterHistory), maxExploration);
            int[] explored = new int[novel.length];
            boolean[] taken = seen.clone();
            int exploredCount = 0;
            for (int c : novel) {
                if (c < 0 || c >= clusters.clusterCount()) {
                    continue;
                }
                int best = -1;
                for (int item : clusters.itemsOf(c)) {
                    if (!taken[item] && (best < 0 || scores[item] > scores[best])) {
                        best = item;
                    }
                }
                if (best >= 0) {
                    taken[best] = true;
                    explored[exploredCount++] = best;
                }
            }
            for (int s = 0; s < explorationSlots.length; s++) {
                int e = Math.min(explorationSlots[s], exploredCount);
                boolean[] excluded = seen.clone();
                boolean explorationHit = false;
                for (int i = 0; i < e; i++) {
                    excluded[explored[i]] = true;
                    explorationHit |= explored[i] == user.testTarget();
                }
                boolean exploitationHit = false;
                for (int item : TopK.indices(scores, slateSize - e, excluded)) {
                    exploitationHit |= item == user.testTarget();
                }
                if (explorationHit || exploitationHit) {
                    hits[s]++;
                }
                if (explorationHit) {
                    explorationHits[s]++;
                }
            }
        }
        Map<String, Double> result = new LinkedHashMap<>();
        int users = split.users().size();
        for (int s = 0; s < explorationSlots.length; s++) {
            result.put("HR@" + slateSize + " explore=" + explorationSlots[s], users == 0 ? 0.0 : (double) hits[s] / users);
        }
        for (int s = 0; s < explorationSlots.length; s++) {
            result.put("hits from exploration, explore=" + explorationSlots[s],
                    hits[s] == 0 ? 0.0 : (double) explorationHits[s] / hits[s]);
        }
        return result;
    }
}
