package io.serendip.ml.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactManifestTest {
    @TempDir
    Path dir;

    @Test
    void writesDigestsOfEveryFileAndVerifies() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.bin"), "beta");
        ArtifactManifest written = ArtifactManifest.builder("clusters").input("catalog", "abc").metric("k", 3)
                .write(dir);

        ArtifactManifest read = ArtifactManifest.read(dir);
        assertThat(read).isEqualTo(written);
        assertThat(read.files()).containsOnlyKeys("a.txt", "sub/b.bin");
        assertThat(read.files().get("a.txt")).isEqualTo(Digests.sha256("alpha".getBytes()));
        assertThat(read.metrics()).containsEntry("k", 3.0);
        read.verify(dir);
    }

    @Test
    void verifyNamesTheModifiedFile() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.writeString(dir.resolve("b.txt"), "beta");
        ArtifactManifest manifest = ArtifactManifest.builder("clusters").write(dir);
        Files.writeString(dir.resolve("b.txt"), "betA");
        assertThatThrownBy(() -> manifest.verify(dir)).isInstanceOf(ArtifactException.class).hasMessageContaining("'b.txt'");
    }

    @Test
    void verifyNamesTheMissingFile() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        ArtifactManifest manifest = ArtifactManifest.builder("clusters").write(dir);
        Files.delete(dir.resolve("a.txt"));
        assertThatThrownBy(() -> manifest.verify(dir)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("'a.txt' is missing");
    }

    @Test
    void refusesMissingOrMalformedManifestAndWrongKind() throws Exception {
        assertThatThrownBy(() -> ArtifactManifest.read(dir)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("manifest.json");
        Files.writeString(dir.resolve("manifest.json"), "{not json");
        assertThatThrownBy(() -> ArtifactManifest.read(dir)).isInstanceOf(ArtifactException.class);
        Files.writeString(dir.resolve("manifest.json"), "{\"formatVersion\":1,\"files\":{\"x\":\"00\"}}");
        assertThatThrownBy(() -> ArtifactManifest.read(dir)).hasMessageContaining("'kind'");
        Files.writeString(dir.resolve("manifest.json"),
                "{\"formatVersion\":1,\"kind\":\"clusters\",\"files\":{\"../escape\":\"00\"}}");
        assertThatThrownBy(() -> ArtifactManifest.read(dir)).hasMessageContaining("illegal path");
        Files.writeString(dir.resolve("manifest.json"),
                "{\"formatVersion\":1,\"kind\":\"clusters\",\"files\":{\"a\\u0000b\":\"00\"}}");
        assertThatThrownBy(() -> ArtifactManifest.read(dir)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("illegal path");
        Files.writeString(dir.resolve("manifest.json"), "null");
        assertThatThrownBy(() -> ArtifactManifest.read(dir)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("not a JSON object");

        Files.delete(dir.resolve("manifest.json"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        ArtifactManifest.builder("recommender").write(dir);
        assertThatThrownBy(() -> ArtifactManifest.readVerified(dir, "clusters")).hasMessageContaining("kind 'recommender'");
    }
}
