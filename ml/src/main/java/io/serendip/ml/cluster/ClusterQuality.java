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
        double total = 0;
        int counted = 0;
        for (int c = 0; c < set.clusterCount(level); c++) {
            int[] members = set.itemsOf(level, c);
            double[] centroid = new double[dimension];
            for (int item : members) {
                for (int d = 0; d < dimension; d++) {
                    centroid[d] += vectors[item * dimension + d];
                }
            }
            double centroidNorm = Math.sqrt(Arrays.stream(centroid).map(x -> x * x).sum());
            if (centroidNorm == 0) {
                continue;
            }
            for (int item : members) {
                double dot = 0;
                double norm = 0;
                for (int d = 0; d < dimension; d++) {
                    double x = vectors[item * dimension + d];
                    dot += x * centroid[d];
                    norm += x * x;
                }
                if (norm > 0) {
                    total += dot / (Math.sqrt(norm) * centroidNorm);
                    counted++;
                }
            }
        }
        return counted == 0 ? 0 : total / counted;
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
