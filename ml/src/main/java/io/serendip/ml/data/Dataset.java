package io.serendip.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A catalog with its interactions, stored as {@code catalog.jsonl} + {@code interactions.jsonl} in one directory. */
public record Dataset(Catalog catalog, List<Interaction> interactions) {

    public static Dataset read(Path dir) throws IOException {
        Path catalog = dir.resolve(Catalog.FILE_NAME);
        Path interactions = dir.resolve(Interactions.FILE_NAME);
        if (!Files.isRegularFile(catalog)) {
            throw new DataFormatException("dataset directory " + dir + " has no " + Catalog.FILE_NAME);
        }
        if (!Files.isRegularFile(interactions)) {
            throw new DataFormatException("dataset directory " + dir + " has no " + Interactions.FILE_NAME);
        }
        return new Dataset(Catalog.read(catalog), Interactions.read(interactions));
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        catalog.write(dir.resolve(Catalog.FILE_NAME));
        Interactions.write(dir.resolve(Interactions.FILE_NAME), interactions);
    }

    /** Positive-engagement sequences with the default rating threshold; unknown items are skipped. */
    public PositiveSequences positiveSequences() {
        return PositiveSequences.from(interactions, catalog.index(), Interactions.DEFAULT_RATING_THRESHOLD, null);
    }
}
