package io.serendip.ml.novelty;

import io.serendip.ml.artifact.ClusterSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns positive-engagement item sequences into cluster transitions, as in the paper's data curation: map items to
 * their serving-level clusters, collapse consecutive repeats of a cluster, drop sequences with fewer than two items,
 * and take every window of {@code k + 1} consecutive clusters that are all distinct as an example
 * {@code (c1..ck) -> c(k+1)}.
 */
public final class TransitionCurator {
    private TransitionCurator() {
    }

    /** Cluster sequence with consecutive duplicates collapsed. */
    public static int[] clusterSequence(int[] items, ClusterSet clusters) {
        int[] result = new int[items.length];
        int count = 0;
        for (int item : items) {
            int cluster = clusters.clusterOf(item);
            if (count == 0 || result[count - 1] != cluster) {
                result[count++] = cluster;
            }
        }
        return java.util.Arrays.copyOf(result, count);
    }

    /** All cluster sequences of item sequences with at least two items. */
    public static List<int[]> clusterSequences(List<int[]> itemSequences, ClusterSet clusters) {
        List<int[]> result = new ArrayList<>(itemSequences.size());
        for (int[] items : itemSequences) {
            if (items.length >= 2) {
                result.add(clusterSequence(items, clusters));
            }
        }
        return result;
    }

    /** Examples of length {@code k + 1} (history then target) from cluster sequences. */
    public static List<int[]> examples(List<int[]> clusterSequences, int k) {
        List<int[]> result = new ArrayList<>();
        for (int[] sequence : clusterSequences) {
            for (int end = k; end < sequence.length; end++) {
                int[] window = java.util.Arrays.copyOfRange(sequence, end - k, end + 1);
                if (allDistinct(window)) {
                    result.add(window);
                }
            }
        }
        return result;
    }

    /** Curates {@code (c1..ck) -> c(k+1)} examples straight from item sequences. */
    public static List<int[]> curate(List<int[]> itemSequences, ClusterSet clusters, int k) {
        return examples(clusterSequences(itemSequences, clusters), k);
    }

    static boolean allDistinct(int[] values) {
        for (int i = 0; i < values.length; i++) {
            for (int j = i + 1; j < values.length; j++) {
                if (values[i] == values[j]) {
                    return false;
                }
            }
        }
        return true;
    }
}
