package io.serendip.ml.cluster;

import io.serendip.ml.artifact.ClusterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality of one level of a cluster set: sizes, balance (normalised entropy of the size distribution, 1 = all
 * equal) and cohesion (mean cosine similarity of items to their cluster's mean direction).
 */
public record ClusterQuality(int level, int clusters, int minSize, int maxSize, double meanSize, double balance,
                             double maxToMeanRatio, double cohesion, int[] sizes) {

    public static List<ClusterQuality> of(ClusterSet set, float[] vectors, int dimension) {
        List<ClusterQuality> result = new ArrayList<>();
        for (int level = 0; level < set.levels(); level++) {
            result.add(of(set, level, vectors, dimension));
        }
        return result;
    }

    public static ClusterQuality of(ClusterSet set, int level, float[] vectors, int dimension) {
        int[] sizes = set.sizes(level);
        int clusters = sizes.length;
        int items = set.items().size();
        double mean = (double) items / clusters;
        double entropy = 0;
        for (int size : sizes) {
            if (size > 0) {
                double p = (double) size / items;
                entropy -= p * Math.log(p);
            }
        }
        double balance = clusters > 1 ? entropy / Math.log(clusters) : 1.0;
        double cohesion = cohesion(set, level, vectors, dimension);
        return new ClusterQuality(level, clusters, Arrays.stream(sizes).min().orElse(0),
                Arrays.stream(sizes).max().orElse(0), mean, balance, Arrays.stream(sizes).max().orElse(0) / mean,
                cohesion, sizes);
    }

    static double cohesion(ClusterSet set, int level, float[] vectors, int dimension) {
        int[] assignment = new int[set.items().size()];
        Arrays.setAll(assignment, item -> set.clusterOf(level, item));
        double[] similarity = similarityToCentre(assignment, set.clusterCount(level), vectors, dimension);
        double total = 0;
        int counted = 0;
        for (int c = 0; c < set.clusterCount(level); c++) {
            for (int item : set.itemsOf(level, c)) {
                if (!Double.isNaN(similarity[item])) {
                    total += similarity[item];
                    counted++;
                }
            }
        }
        return counted == 0 ? 0 : total / counted;
    }

    /**
     * Per item, the cosine similarity of its vector to its cluster's mean direction; NaN for a zero vector or a
     * cluster whose vectors sum to zero.
     */
    static double[] similarityToCentre(int[] assignment, int clusters, float[] vectors, int dimension) {
        double[][] centroids = new double[clusters][dimension];
        for (int item = 0; item < assignment.length; item++) {
            for (int d = 0; d < dimension; d++) {
                centroids[assignment[item]][d] += vectors[item * dimension + d];
            }
        }
        double[] centroidNorms = new double[clusters];
        for (int c = 0; c < clusters; c++) {
            centroidNorms[c] = Math.sqrt(Arrays.stream(centroids[c]).map(x -> x * x).sum());
        }
        double[] similarity = new double[assignment.length];
        for (int item = 0; item < assignment.length; item++) {
            double[] centroid = centroids[assignment[item]];
            double dot = 0;
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                double x = vectors[item * dimension + d];
                dot += x * centroid[d];
                norm += x * x;
            }
            double centroidNorm = centroidNorms[assignment[item]];
            similarity[item] = norm > 0 && centroidNorm > 0 ? dot / (Math.sqrt(norm) * centroidNorm) : Double.NaN;
        }
        return similarity;
    }

    /** Summary numbers for the manifest, prefixed by level. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        String prefix = "level" + level + ".";
        metrics.put(prefix + "clusters", (double) clusters);
        metrics.put(prefix + "minSize", (double) minSize);
        metrics.put(prefix + "maxSize", (double) maxSize);
        metrics.put(prefix + "balance", balance);
        metrics.put(prefix + "cohesion", cohesion);
        return metrics;
    }
}
