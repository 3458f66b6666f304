package io.serendip.ml.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dataset}: the dataset directory a job reads. */
public final class DatasetDir extends DirectoryOption {
    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Dataset directory (catalog.jsonl + interactions.jsonl).")
    @Override
    public void set(Path path) {
        super.set(path);
    }
}
