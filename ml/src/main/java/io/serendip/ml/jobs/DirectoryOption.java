package io.serendip.ml.jobs;

import java.nio.file.Path;

/** A directory option that many jobs share, declared once as a picocli mixin by each subclass's setter. */
public abstract class DirectoryOption {
    private Path path;

    public Path path() {
        return path;
    }

    /** Also for a job that runs another job in-process with a path of its own. */
    public void set(Path path) {
        this.path = path;
    }
}
