package io.serendip.ml.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Top-down hierarchical k-means: level 0 clusters all items into {@code counts[0]} clusters; each later level splits
 * every parent into children so that the level has exactly {@code counts[l]} clusters, giving each parent a share
 * proportional to its size (at least one child, at most one per member).
 */
public final class HierarchicalKMeans {

    /** Per level: item to cluster, and (from level 1) cluster to parent. */
    public record Hierarchy(List<int[]> assignments, List<int[]> parents) {
    }

    private HierarchicalKMeans() {
    }

    public static Hierarchy fit(float[] vectors, int dimension, int itemCount, int[] counts, long seed) {
        validate(counts, itemCount);
        List<int[]> assignments = new ArrayList<>();
        List<int[]> parents = new ArrayList<>();
        int[] all = new int[itemCount];
        Arrays.setAll(all, i -> i);
        int[] top = new int[itemCount];
        KMeans.Result root = KMeans.fit(vectors, dimension, all, counts[0], seed);
        for (int p = 0; p < itemCount; p++) {
            top[all[p]] = root.assignment()[p];
        }
        assignments.add(top);
        parents.add(null);
        for (int level = 1; level < counts.length; level++) {
            int[] previous = assignments.get(level - 1);
            int[][] members = membersOf(previous, counts[level - 1]);
            int[] children = allocate(members, counts[level]);
            int[] assignment = new int[itemCount];
            int[] parentOf = new int[counts[level]];
            int next = 0;
            for (int parent = 0; parent < members.length; parent++) {
                int[] subset = members[parent];
                KMeans.Result split = KMeans.fit(vectors, dimension, subset, children[parent],
                        seed + 1_000_003L * level + parent);
                for (int p = 0; p < subset.length; p++) {
                    assignment[subset[p]] = next + split.assignment()[p];
                }
                for (int c = 0; c < children[parent]; c++) {
                    parentOf[next + c] = parent;
                }
                next += children[parent];
            }
            assignments.add(assignment);
            parents.add(parentOf);
        }
        return new Hierarchy(assignments, parents);
    }

    static void validate(int[] counts, int itemCount) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("at least one level count is required");
        }
        for (int l = 0; l < counts.length; l++) {
            if (counts[l] < 1 || counts[l] > itemCount) {
                throw new IllegalArgumentException("level " + l + " count " + counts[l] + " must be in 1.." + itemCount);
            }
            if (l > 0 && counts[l] < counts[l - 1]) {
                throw new IllegalArgumentException("level " + l + " count " + counts[l]
                        + " must not be smaller than the level above (" + counts[l - 1] + ")");
            }
        }
    }

    static int[][] membersOf(int[] assignment, int clusters) {
        int[] sizes = new int[clusters];
        for (int c : assignment) {
            sizes[c]++;
        }
        int[][] members = new int[clusters][];
        for (int c = 0; c < clusters; c++) {
            members[c] = new int[sizes[c]];
        }
        int[] fill = new int[clusters];
        for (int item = 0; item < assignment.length; item++) {
            members[assignment[item]][fill[assignment[item]]++] = item;
        }
        return members;
    }

    /** Children per parent, proportional to size by largest remainder, each in 1..size, summing to {@code total}. */
    static int[] allocate(int[][] members, int total) {
        int parents = members.length;
        long itemCount = Arrays.stream(members).mapToLong(m -> m.length).sum();
        int[] children = new int[parents];
        double[] remainder = new double[parents];
        int assigned = 0;
        for (int p = 0; p < parents; p++) {
            double exact = (double) total * members[p].length / itemCount;
            children[p] = Math.max(1, Math.min(members[p].length, (int) Math.floor(exact)));
            remainder[p] = exact - children[p];
            assigned += children[p];
        }
        while (assigned != total) {
            int best = -1;
            for (int p = 0; p < parents; p++) {
                boolean canMove = assigned < total ? children[p] < members[p].length : children[p] > 1;
                if (canMove && (best < 0 || (assigned < total ? remainder[p] > remainder[best] : remainder[p] < remainder[best]))) {
                    best = p;
                }
            }
            if (assigned < total) {
                children[best]++;
                remainder[best] -= 1;
                assigned++;
            } else {
                children[best]--;
                remainder[best] += 1;
                assigned--;
            }
        }
        return children;
    }
}
