package io.serendip.ml.interest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Balancing of curated {@code (c1..ck) -> c(k+1)} examples by target cluster: the most frequent targets are
 * down-sampled to at most {@code capFactor} times the median target count, so the long tail keeps a fair
 * share of the training signal. Pure and seeded.
 */
public final class InterestExamples {

    private InterestExamples() {
    }

    /**
     * @param examples  windows whose last element is the target cluster
     * @param capFactor cap = ceil(capFactor * median count); 0 or less keeps every example
     */
    public static List<int[]> balanceByTarget(List<int[]> examples, double capFactor, long seed) {
        if (capFactor <= 0 || examples.isEmpty()) {
            return List.copyOf(examples);
        }
        Map<Integer, List<int[]>> byTarget = new HashMap<>();
        for (int[] example : examples) {
            byTarget.computeIfAbsent(example[example.length - 1], t -> new ArrayList<>()).add(example);
        }
        int[] counts = byTarget.values().stream().mapToInt(List::size).sorted().toArray();
        int median = counts[counts.length / 2];
        int cap = (int) Math.ceil(capFactor * median);
        Random random = new Random(seed);
        List<int[]> result = new ArrayList<>();
        byTarget.keySet().stream().sorted().forEach(target -> {
            List<int[]> group = new ArrayList<>(byTarget.get(target));
            if (group.size() > cap) {
                Collections.shuffle(group, random);
                group = group.subList(0, cap);
            }
            result.addAll(group);
        });
        return result;
    }

    /** Count of examples per target cluster. */
    public static int[] targetCounts(List<int[]> examples, int clusterCount) {
        int[] counts = new int[clusterCount];
        for (int[] example : examples) {
            counts[example[example.length - 1]]++;
        }
        return counts;
    }

    /** Windows' history part (all but the last element). */
    public static int[] history(int[] example) {
        return Arrays.copyOf(example, example.length - 1);
    }
}
