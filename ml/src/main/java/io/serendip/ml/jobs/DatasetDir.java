package io.serendip.ml.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dataset}: the dataset directory a job reads; one declaration for every job that takes it. */
public final class DatasetDir {
    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Dataset directory (catalog.jsonl + interactions.jsonl).")
    Path path;

    public Path path() {
        return path;
    }

    /** For a job that runs another job in-process with a path of its own. */
    public void set(Path path) {
        this.path = path;
    }
}
