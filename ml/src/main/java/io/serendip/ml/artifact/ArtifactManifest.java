package io.serendip.ml.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code manifest.json} of an artifact directory: what it is, what it was built from, how good it
 * is, and the sha256 of every file it holds. Servers call {@link #verify(Path)} before loading.
 *
 * @param formatVersion version of the manifest layout (currently {@value #FORMAT_VERSION})
 * @param kind          {@code clusters}, {@code recommender}, {@code interest-model}, {@code novelty-table}, ...
 * @param createdAt     ISO-8601 instant
 * @param inputs        input name to sha256 of that input
 * @param metrics       metric name to value
 * @param files         path relative to the directory to sha256
 */
public record ArtifactManifest(int formatVersion, String kind, String createdAt, Map<String, String> inputs,
                               Map<String, Double> metrics, Map<String, String> files) {

    public static final String FILE_NAME = io.serendip.config.ArtifactLayout.MANIFEST_FILE;
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public ArtifactManifest {
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    /** Reads and structurally validates {@code dir/manifest.json}; does not hash the files (see {@link #verify}). */
    public static ArtifactManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException("artifact " + dir + " has no " + FILE_NAME);
        }
        ArtifactManifest manifest;
        try {
            manifest = JSON.readValue(file.toFile(), ArtifactManifest.class);
        } catch (IOException e) {
            throw new ArtifactException("unreadable " + file + ": " + e.getMessage(), e);
        }
        if (manifest == null) {
            throw new ArtifactException(file + ": not a JSON object");
        }
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new ArtifactException(file + ": unsupported formatVersion " + manifest.formatVersion()
                    + " (expected " + FORMAT_VERSION + ")");
        }
        if (manifest.kind() == null || manifest.kind().isBlank()) {
            throw new ArtifactException(file + ": missing field 'kind'");
        }
        if (manifest.files().isEmpty()) {
            throw new ArtifactException(file + ": field 'files' lists no files");
        }
        for (String name : manifest.files().keySet()) {
            Path resolved;
            try {
                resolved = dir.resolve(name).normalize();
            } catch (InvalidPathException e) {
                resolved = null;
            }
            if (resolved == null || !resolved.startsWith(dir.normalize()) || name.equals(FILE_NAME)) {
                throw new ArtifactException(file + ": field 'files' has an illegal path '" + name + "'");
            }
        }
        return manifest;
    }

    /** Reads the manifest, checks its kind and verifies every file digest. */
    public static ArtifactManifest readVerified(Path dir, String expectedKind) {
        ArtifactManifest manifest = read(dir);
        if (!manifest.kind().equals(expectedKind)) {
            throw new ArtifactException("artifact " + dir + " has kind '" + manifest.kind() + "', expected '"
                    + expectedKind + "'");
        }
        manifest.verify(dir);
        return manifest;
    }

    /** Recomputes the sha256 of every listed file; throws naming the first missing or mismatched file. */
    public void verify(Path dir) {
        for (Map.Entry<String, String> entry : files.entrySet()) {
            Path file = dir.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ArtifactException("artifact " + dir + ": file '" + entry.getKey() + "' is missing");
            }
            String actual = Digests.sha256(file);
            if (!actual.equalsIgnoreCase(entry.getValue())) {
                throw new ArtifactException("artifact " + dir + ": file '" + entry.getKey()
                        + "' has sha256 " + actual + " but the manifest says " + entry.getValue());
            }
        }
    }

    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** Collects inputs and metrics, then hashes every file in the directory and writes the manifest last. */
    public static final class Builder {
        private final String kind;
        private final Map<String, String> inputs = new TreeMap<>();
        private final Map<String, Double> metrics = new TreeMap<>();

        private Builder(String kind) {
            this.kind = kind;
        }

        public Builder input(String name, String sha256) {
            inputs.put(name, sha256);
            return this;
        }

        /** Records an input file by its sha256. */
        public Builder inputFile(String name, Path file) {
            return input(name, Digests.sha256(file));
        }

        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        public Builder metrics(Map<String, ? extends Number> values) {
            values.forEach((name, value) -> metrics.put(name, value.doubleValue()));
            return this;
        }

        /** Hashes all regular files under {@code dir} (except the manifest) and writes {@code manifest.json}. */
        public ArtifactManifest write(Path dir) {
            Map<String, String> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    String relative = dir.relativize(file).toString().replace('\\', '/');
                    if (!relative.equals(FILE_NAME)) {
                        files.put(relative, Digests.sha256(file));
                    }
                }
            } catch (IOException e) {
                throw new ArtifactException("cannot list artifact directory " + dir, e);
            }
            if (files.isEmpty()) {
                throw new ArtifactException("artifact directory " + dir + " holds no files");
            }
            ArtifactManifest manifest = new ArtifactManifest(FORMAT_VERSION, kind, Instant.now().toString(),
                    inputs, metrics, files);
            try {
                Path tmp = dir.resolve(FILE_NAME + ".tmp");
                JSON.writeValue(tmp.toFile(), manifest);
                Files.move(tmp, dir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new ArtifactException("cannot write manifest in " + dir, e);
            }
            return manifest;
        }
    }

    /** Names of the files listed in the manifest. */
    public Set<String> fileNames() {
        return files.keySet();
    }
}
