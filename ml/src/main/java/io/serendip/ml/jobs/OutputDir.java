package io.serendip.ml.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --output}: the directory a job writes its artifact or report to (what it writes: the job's help). */
public final class OutputDir {
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write.")
    Path path;

    public Path path() {
        return path;
    }

    public void set(Path path) {
        this.path = path;
    }
}
