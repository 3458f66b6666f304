package io.serendip.ml.eval;

import java.util.List;

/** Baseline: how often each item was engaged with in the training sequences, whatever the history. */
public final class PopularityScorer implements NextItemScorer {
    private final float[] counts;

    public PopularityScorer(List<int[]> trainingSequences, int itemCount) {
        counts = new float[itemCount];
        for (int[] sequence : trainingSequences) {
            for (int item : sequence) {
                counts[item]++;
            }
        }
    }

    /** Raw engagement counts (shared, do not modify). */
    float[] counts() {
        return counts;
    }

    @Override
    public float[] scoreAll(int[] history) {
        return counts.clone();
    }

    @Override
    public String name() {
        return "popularity";
    }
}
