package io.serendip.ml.cluster;

import java.util.Arrays;
import java.util.Random;

/**
 * Lloyd's k-means with k-means++ initialisation over a subset of row-major vectors; deterministic for a seed.
 * An empty cluster is re-seeded with the point farthest from its centroid.
 */
public final class KMeans {
    private static final int MAX_ITERATIONS = 100;

    /** Local assignment (0..k-1) per subset point and the k centroids (row-major). */
    public record Result(int[] assignment, float[] centroids, int k, int iterations) {
    }

    private KMeans() {
    }

    /**
     * @param vectors   all vectors, row-major, {@code dimension} per row
     * @param points    indices of the rows to cluster
     * @param k         clusters; at most {@code points.length}
     */
    public static Result fit(float[] vectors, int dimension, int[] points, int k, long seed) {
        if (k < 1 || k > points.length) {
            throw new IllegalArgumentException("k must be in 1.." + points.length + ", got " + k);
        }
        Random random = new Random(seed);
        float[] centroids = initialise(vectors, dimension, points, k, random);
        int[] assignment = new int[points.length];
        Arrays.fill(assignment, -1);
        int iteration = 0;
        boolean changed = true;
        while (changed && iteration < MAX_ITERATIONS) {
            iteration++;
            changed = assign(vectors, dimension, points, centroids, k, assignment);
            int[] sizes = update(vectors, dimension, points, assignment, centroids, k);
            changed |= reseedEmpty(vectors, dimension, points, assignment, centroids, sizes);
        }
        return new Result(assignment, centroids, k, iteration);
    }

    static double squaredDistance(float[] vectors, int row, int dimension, float[] centroids, int cluster) {
        double sum = 0;
        int a = row * dimension;
        int b = cluster * dimension;
        for (int d = 0; d < dimension; d++) {
            double diff = vectors[a + d] - centroids[b + d];
            sum += diff * diff;
        }
        return sum;
    }

    private static float[] initialise(float[] vectors, int dimension, int[] points, int k, Random random) {
        float[] centroids = new float[k * dimension];
        int first = points[random.nextInt(points.length)];
        System.arraycopy(vectors, first * dimension, centroids, 0, dimension);
        double[] nearest = new double[points.length];
        for (int p = 0; p < points.length; p++) {
            nearest[p] = squaredDistance(vectors, points[p], dimension, centroids, 0);
        }
        for (int c = 1; c < k; c++) {
            double total = Arrays.stream(nearest).sum();
            int chosen;
            if (total <= 0) {
                chosen = random.nextInt(points.length);
            } else {
                double target = random.nextDouble() * total;
                chosen = 0;
                for (double acc = nearest[0]; acc < target && chosen < points.length - 1; acc += nearest[++chosen]) {
                    // walk the cumulative distribution
                }
            }
            System.arraycopy(vectors, points[chosen] * dimension, centroids, c * dimension, dimension);
            for (int p = 0; p < points.length; p++) {
                nearest[p] = Math.min(nearest[p], squaredDistance(vectors, points[p], dimension, centroids, c));
            }
        }
        return centroids;
    }

    private static boolean assign(float[] vectors, int dimension, int[] points, float[] centroids, int k, int[] assignment) {
        boolean changed = false;
        for (int p = 0; p < points.length; p++) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                double distance = squaredDistance(vectors, points[p], dimension, centroids, c);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            if (assignment[p] != best) {
                assignment[p] = best;
                changed = true;
            }
        }
        return changed;
    }

    private static int[] update(float[] vectors, int dimension, int[] points, int[] assignment, float[] centroids, int k) {
        int[] sizes = new int[k];
        double[] sums = new double[k * dimension];
        for (int p = 0; p < points.length; p++) {
            int c = assignment[p];
            sizes[c]++;
            int row = points[p] * dimension;
            for (int d = 0; d < dimension; d++) {
                sums[c * dimension + d] += vectors[row + d];
            }
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] > 0) {
                for (int d = 0; d < dimension; d++) {
                    centroids[c * dimension + d] = (float) (sums[c * dimension + d] / sizes[c]);
                }
            }
        }
        return sizes;
    }

    private static boolean reseedEmpty(float[] vectors, int dimension, int[] points, int[] assignment, float[] centroids,
                                       int[] sizes) {
        boolean changed = false;
        for (int empty = 0; empty < sizes.length; empty++) {
            if (sizes[empty] > 0) {
                continue;
            }
            int farthest = -1;
            double farthestDistance = -1;
            for (int p = 0; p < points.length; p++) {
                if (sizes[assignment[p]] < 2) {
                    continue; // taking a point must not empty another cluster
                }
                double distance = squaredDistance(vectors, points[p], dimension, centroids, assignment[p]);
                if (distance > farthestDistance) {
                    farthestDistance = distance;
                    farthest = p;
                }
            }
            sizes[assignment[farthest]]--;
            assignment[farthest] = empty;
            sizes[empty] = 1;
            System.arraycopy(vectors, points[farthest] * dimension, centroids, empty * dimension, dimension);
            changed = true;
        }
        return changed;
    }
}
