package io.serendip.ml.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared data directory: the {@code serendip.shared.dir} property, else {@code ../shared} of the repo. */
public final class SharedData {
    private SharedData() {
    }

    public static Path movieLens100k() {
        String configured = System.getProperty("serendip.shared.dir");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (configured == null && !Files.isDirectory(shared)) {
            shared = Path.of("..", "shared");
        }
        return shared.resolve("datasets").resolve("ml-100k").toAbsolutePath().normalize();
    }
}
