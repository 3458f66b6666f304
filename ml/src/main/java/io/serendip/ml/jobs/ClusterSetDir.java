package io.serendip.ml.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --clusters}: the cluster-set artifact a job works on. */
public final class ClusterSetDir extends DirectoryOption {
    @Option(names = "--clusters", required = true, paramLabel = "DIR",
            description = "Cluster-set artifact directory (from build-cluster-set or build-clusters).")
    @Override
    public void set(Path path) {
        super.set(path);
    }
}
