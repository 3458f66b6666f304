package io.serendip.ml.jobs;

import picocli.CommandLine.Option;

/** The clustering options shared by {@code build-clusters} and {@code build-cluster-set}. */
final class ClusteringOptions {
    @Option(names = "--levels", required = true, split = ",",
            description = "Cluster count per level, coarse to fine, e.g. 10,50; the last level serves.")
    int[] levels;

    @Option(names = "--keywords", defaultValue = "3", description = "Keywords per cluster (default ${DEFAULT-VALUE}).")
    int keywords;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;
}
