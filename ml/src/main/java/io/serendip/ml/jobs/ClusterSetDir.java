package io.serendip.ml.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --clusters}: the cluster-set artifact a job works on; one declaration for every job that takes it. */
public final class ClusterSetDir {
    @Option(names = "--clusters", required = true, paramLabel = "DIR",
            description = "Cluster-set artifact directory (from build-cluster-set or cluster).")
    Path path;

    public Path path() {
        return path;
    }

    public void set(Path path) {
        this.path = path;
    }
}
