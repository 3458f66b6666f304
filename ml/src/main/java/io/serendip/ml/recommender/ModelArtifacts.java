package io.serendip.ml.recommender;

import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ArtifactManifest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Recognition of artifact directories by the {@code kind} in their manifest. */
public final class ModelArtifacts {

    private ModelArtifacts() {
    }

    /**
     * True when {@code dir} holds a readable manifest of this kind. Anything else (no manifest, unreadable,
     * another kind) is simply not recognised; loading a recognised artifact still verifies every file.
     */
    public static boolean hasKind(Path dir, String kind) {
        if (!Files.isRegularFile(dir.resolve(ArtifactManifest.FILE_NAME))) {
            return false;
        }
        try {
            return kind.equals(ArtifactManifest.read(dir).kind());
        } catch (ArtifactException e) {
            return false;
        }
    }
}
