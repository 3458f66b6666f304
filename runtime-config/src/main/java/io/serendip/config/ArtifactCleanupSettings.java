package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The {@code artifactCleanup} section of a {@link JobKind#ArtifactCleanup} Job config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactCleanupSettings(
        @JsonPropertyDescription("The artifact volume's mount point; every path must lie strictly inside it.")
        String root,
        @JsonPropertyDescription("Artifact directories to delete, with everything in them (absent ones are skipped).")
        List<String> paths) {

    public ArtifactCleanupSettings {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
