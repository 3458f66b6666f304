package io.serendip.ml.novelty;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Baseline: uniformly random distinct clusters outside the history, reproducible per (seed, history). */
public final class RandomNoveltySource implements NoveltySource {
    private final int clusterCount;
    private final long seed;

    public RandomNoveltySource(int clusterCount, long seed) {
        this.clusterCount = clusterCount;
        this.seed = seed;
    }

    @Override
    public int[] novelClusters(int[] history, int n) {
        SplittableRandom random = new SplittableRandom(seed * 31 + Arrays.hashCode(history));
        int[] candidates = new int[clusterCount];
        int count = 0;
        for (int c = 0; c < clusterCount; c++) {
            boolean inHistory = false;
            for (int h : history) {
                inHistory |= h == c;
            }
            if (!inHistory) {
                candidates[count++] = c;
            }
        }
        int take = Math.min(n, count);
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(count - i);
            int swap = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = swap;
        }
        return Arrays.copyOf(candidates, take);
    }

    @Override
    public String name() {
        return "random";
    }
}
