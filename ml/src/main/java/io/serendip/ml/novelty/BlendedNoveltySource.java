package io.serendip.ml.novelty;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts where they are dense, a learned model where they are sparse: a history after which the training data
 * counted at least {@code minObservations} transitions is answered by transition frequency, any other by the
 * model. The model sees its histories as one batch.
 */
public final class BlendedNoveltySource implements NoveltySource {
    private final NoveltySource sparse;
    private final TransitionFrequencySource counts;
    private final int minObservations;

    public BlendedNoveltySource(NoveltySource sparse, TransitionFrequencySource counts, int minObservations) {
        if (minObservations < 1) {
            throw new IllegalArgumentException("minimum observations must be at least 1, was " + minObservations);
        }
        this.sparse = sparse;
        this.counts = counts;
        this.minObservations = minObservations;
    }

    boolean dense(int[] history) {
        return counts.observations(history) >= minObservations;
    }

    @Override
    public int[] novelClusters(int[] history, int n) {
        return dense(history) ? counts.novelClusters(history, n) : sparse.novelClusters(history, n);
    }

    @Override
    public int[][] novelClusters(List<int[]> histories, int n) {
        int[][] result = new int[histories.size()][];
        List<int[]> sparseHistories = new ArrayList<>();
        List<Integer> sparseAt = new ArrayList<>();
        for (int i = 0; i < result.length; i++) {
            int[] history = histories.get(i);
            if (dense(history)) {
                result[i] = counts.novelClusters(history, n);
            } else {
                sparseHistories.add(history);
                sparseAt.add(i);
            }
        }
        if (!sparseHistories.isEmpty()) {
            int[][] answered = sparse.novelClusters(sparseHistories, n);
            for (int j = 0; j < answered.length; j++) {
                result[sparseAt.get(j)] = answered[j];
            }
        }
        return result;
    }

    @Override
    public String name() {
        return "blend(" + sparse.name() + " below " + minObservations + " observations, else " + counts.name() + ")";
    }
}
