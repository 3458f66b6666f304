package io.serendip.runtime.recommender;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.recommender.SequenceRecommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The recommend algorithm of the paper, over dense indices: exploitation = top-k of the whole
 * catalog (history excluded); exploration = the user's last distinct clusters, the novelty table's
 * novel clusters for them, and the best items restricted to those clusters (cost proportional to
 * the clusters' sizes, via the per-cluster item index).
 */
public final class RecommendService {
    private RecommendService() {
    }

    public static Recommendation recommend(RecommenderModels models, int[] history, int k, int explorationSlots) {
        return recommend(models, history, models.recommender().encode(window(models, history)), k, explorationSlots);
    }

    /** The part of the history the model reads: its last {@code maxHistory} items. */
    static int[] window(RecommenderModels models, int[] history) {
        int max = models.recommender().maxHistory();
        return history.length > max ? Arrays.copyOfRange(history, history.length - max, history.length) : history;
    }

    /** The slate for a user state already computed from {@link #window} (by a batched forward pass). */
    static Recommendation recommend(RecommenderModels models, int[] history, float[] state, int k, int explorationSlots) {
        SequenceRecommender recommender = models.recommender();
        ClusterSet clusters = models.clusters();
        BitSet seen = new BitSet(recommender.itemCount());
        BitSet userClusters = new BitSet(clusters.clusterCount());
        int[] historyClusters = new int[history.length];
        for (int i = 0; i < history.length; i++) {
            seen.set(history[i]);
            historyClusters[i] = clusters.clusterOf(history[i]);
            userClusters.set(historyClusters[i]);
        }
        int k0 = models.novelty().historyLength();
        int[] lastDistinct = ClusterHistory.lastDistinct(historyClusters, k0);
        int[] novel = explorationSlots > 0 ? models.novelty().novelClusters(historyClusters) : new int[0];

        List<SlateBuilder.ClusterCandidates> candidates = new ArrayList<>(novel.length);
        for (int cluster : novel) {
            int[] items = clusters.itemsOf(cluster);
            candidates.add(new SlateBuilder.ClusterCandidates(cluster, items, models.clusterScorer().scoreGroup(state, cluster)));
        }
        List<SlateBuilder.Entry> exploration = SlateBuilder.pickExploration(candidates, explorationSlots, seen);

        BitSet excluded = (BitSet) seen.clone();
        exploration.forEach(e -> excluded.set(e.item()));
        float[] scores = recommender.scoreAll(state);
        int[] top = SlateBuilder.topK(scores, k - exploration.size(), excluded);
        List<SlateBuilder.Entry> exploitation = new ArrayList<>(top.length);
        for (int item : top) {
            exploitation.add(new SlateBuilder.Entry(item, scores[item], -1));
        }
        List<SlateBuilder.Entry> slate = SlateBuilder.interleave(exploitation, exploration, k);
        return new Recommendation(slate, lastDistinct, novel, lastDistinct.length < k0, userClusters);
    }
}
