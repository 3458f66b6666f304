package io.serendip.ml.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** External string item id to dense int index (0..size-1) and back. Immutable, thread-safe. */
public final class ItemIndex {
    private final String[] ids;
    private final Map<String, Integer> indices;

    private ItemIndex(String[] ids) {
        this.ids = ids;
        this.indices = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null || ids[i].isEmpty()) {
                throw new IllegalArgumentException("item id at index " + i + " is empty");
            }
            if (ids[i].indexOf('\n') >= 0 || ids[i].indexOf('\r') >= 0) {
                throw new IllegalArgumentException("item id at index " + i + " contains a line break");
            }
            if (indices.putIfAbsent(ids[i], i) != null) {
                throw new IllegalArgumentException("duplicate item id '" + ids[i] + "'");
            }
        }
    }

    public static ItemIndex of(List<String> ids) {
        return new ItemIndex(ids.toArray(String[]::new));
    }

    /** Reads one id per line (UTF-8), in index order. */
    public static ItemIndex read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return of(lines);
        } catch (IOException e) {
            throw new ArtifactException("cannot read item index " + file, e);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("invalid item index " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        Files.write(file, List.of(ids), StandardCharsets.UTF_8);
    }

    /** Dense index of the id, or -1 if unknown. */
    public int indexOf(String id) {
        Integer index = indices.get(id);
        return index == null ? -1 : index;
    }

    public String idOf(int index) {
        if (index < 0 || index >= ids.length) {
            throw new IndexOutOfBoundsException("item index " + index + " outside 0.." + (ids.length - 1));
        }
        return ids[index];
    }

    public int size() {
        return ids.length;
    }

    public List<String> ids() {
        return List.of(ids);
    }
}
