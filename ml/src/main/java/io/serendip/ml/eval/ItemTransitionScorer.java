package io.serendip.ml.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: first-order item transitions. The items that most often came right after the history's last item
 * rank first (by that count), then all items by popularity.
 */
public final class ItemTransitionScorer implements NextItemScorer {
    private final int itemCount;
    private final List<Map<Integer, Integer>> next;
    private final PopularityScorer popularity;
    private final float popularityScale;

    public ItemTransitionScorer(List<int[]> trainingSequences, int itemCount) {
        this.itemCount = itemCount;
        this.popularity = new PopularityScorer(trainingSequences, itemCount);
        this.next = new java.util.ArrayList<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            next.add(new HashMap<>());
        }
        for (int[] sequence : trainingSequences) {
            for (int i = 1; i < sequence.length; i++) {
                next.get(sequence[i - 1]).merge(sequence[i], 1, Integer::sum);
            }
        }
        float max = 0;
        for (float count : popularity.counts()) {
            max = Math.max(max, count);
        }
        // Popularity only breaks ties: one transition outweighs any popularity difference.
        this.popularityScale = 1f / (max + 1f);
    }

    @Override
    public float[] scoreAll(int[] history) {
        float[] scores = new float[itemCount];
        float[] counts = popularity.counts();
        for (int i = 0; i < itemCount; i++) {
            scores[i] = counts[i] * popularityScale;
        }
        if (history.length > 0) {
            next.get(history[history.length - 1]).forEach((item, count) -> scores[item] += count);
        }
        return scores;
    }

    @Override
    public String name() {
        return "item-transition";
    }
}
