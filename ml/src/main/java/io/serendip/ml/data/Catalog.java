package io.serendip.ml.data;

import io.serendip.ml.artifact.ItemIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An item catalog in JSON Lines ({@link CatalogItem} per line); item index = line order. */
public record Catalog(List<CatalogItem> items) {
    public static final String FILE_NAME = "catalog.jsonl";

    public Catalog {
        items = List.copyOf(items);
        Set<String> seen = new HashSet<>();
        for (CatalogItem item : items) {
            if (!seen.add(item.id())) {
                throw new DataFormatException("duplicate catalog id '" + item.id() + "'");
            }
        }
    }

    public static Catalog read(Path file) throws IOException {
        return new Catalog(JsonLines.read(file, CatalogItem.class));
    }

    public void write(Path file) throws IOException {
        JsonLines.write(file, items);
    }

    public ItemIndex index() {
        return ItemIndex.of(items.stream().map(CatalogItem::id).toList());
    }

    public int size() {
        return items.size();
    }

    public CatalogItem get(int index) {
        return items.get(index);
    }
}
