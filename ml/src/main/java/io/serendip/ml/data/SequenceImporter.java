package io.serendip.ml.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports the common sequence format (one line per user: {@code user item item ...}, chronological). Every item
 * becomes a positive {@code like} event whose timestamp is its position; the catalog holds the ids only (title =
 * id) unless an existing catalog is given.
 */
public final class SequenceImporter {
    private SequenceImporter() {
    }

    public static Dataset importFrom(Path file, Catalog existingCatalog) throws IOException {
        Map<String, List<String>> sequences = PositiveSequences.readSequenceFormat(file);
        Set<String> seen = new LinkedHashSet<>();
        List<Interaction> interactions = new ArrayList<>();
        sequences.forEach((user, items) -> {
            for (int i = 0; i < items.size(); i++) {
                interactions.add(Interaction.event(user, items.get(i), i, "like"));
                seen.add(items.get(i));
            }
        });
        Catalog catalog = existingCatalog;
        if (catalog == null) {
            List<CatalogItem> items = new ArrayList<>(seen.size());
            seen.forEach(id -> items.add(new CatalogItem(id, id, id, List.of())));
            catalog = new Catalog(items);
        }
        return new Dataset(catalog, interactions);
    }
}
