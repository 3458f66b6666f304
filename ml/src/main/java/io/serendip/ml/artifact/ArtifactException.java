package io.serendip.ml.artifact;

/** An artifact (directory, manifest, table or model file) was refused: missing, corrupt, truncated or mismatched. */
public class ArtifactException extends RuntimeException {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
