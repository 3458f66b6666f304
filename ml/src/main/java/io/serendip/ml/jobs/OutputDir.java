package io.serendip.ml.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --output}: the directory a job writes its artifact or report to (what it writes: the job's help). */
public final class OutputDir extends DirectoryOption {
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write.")
    @Override
    public void set(Path path) {
        super.set(path);
    }
}
