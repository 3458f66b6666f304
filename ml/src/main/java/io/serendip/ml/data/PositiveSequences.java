package io.serendip.ml.data;

import io.serendip.ml.artifact.ItemIndex;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Positive-engagement sequences: per user, the dense item indices they engaged with positively, in time order
 * (ties keep input order). Users appear in order of first appearance.
 */
public record PositiveSequences(List<String> users, List<int[]> sequences) {

    public PositiveSequences {
        if (users.size() != sequences.size()) {
            throw new IllegalArgumentException("one sequence per user required");
        }
        users = List.copyOf(users);
        sequences = List.copyOf(sequences);
    }

    /**
     * Builds sequences from interactions. Interactions with items unknown to the index are counted and skipped
     * (reported through {@code skippedUnknown}, may be null).
     */
    public static PositiveSequences from(List<Interaction> interactions, ItemIndex items, double ratingThreshold,
                                         int[] skippedUnknown) {
        record Event(int item, long timestamp, int order) {
        }
        Map<String, List<Event>> byUser = new LinkedHashMap<>();
        int skipped = 0;
        for (int i = 0; i < interactions.size(); i++) {
            Interaction interaction = interactions.get(i);
            if (!interaction.isPositive(ratingThreshold)) {
                continue;
            }
            int item = items.indexOf(interaction.item());
            if (item < 0) {
                skipped++;
                continue;
            }
            byUser.computeIfAbsent(interaction.user(), u -> new ArrayList<>())
                    .add(new Event(item, interaction.timestamp(), i));
        }
        if (skippedUnknown != null && skippedUnknown.length > 0) {
            skippedUnknown[0] = skipped;
        }
        List<String> users = new ArrayList<>(byUser.size());
        List<int[]> sequences = new ArrayList<>(byUser.size());
        Comparator<Event> chronological = Comparator.comparingLong(Event::timestamp).thenComparingInt(Event::order);
        byUser.forEach((user, events) -> {
            events.sort(chronological);
            users.add(user);
            sequences.add(events.stream().mapToInt(Event::item).toArray());
        });
        return new PositiveSequences(users, sequences);
    }

    public int size() {
        return users.size();
    }

    /** Total number of positive events. */
    public long eventCount() {
        return sequences.stream().mapToLong(s -> s.length).sum();
    }

    /** Writes the common sequence format: one line per user, {@code user item item ...} (external ids). */
    public void writeSequenceFormat(Path file, ItemIndex items) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int u = 0; u < users.size(); u++) {
                StringBuilder line = new StringBuilder(users.get(u));
                for (int item : sequences.get(u)) {
                    line.append(' ').append(items.idOf(item));
                }
                out.write(line.toString());
                out.newLine();
            }
        }
    }

    /**
     * Reads the common sequence format ({@code user item item ...}, whitespace separated, chronological) into
     * external ids; a line with a user but no items is kept as an empty sequence.
     */
    public static Map<String, List<String>> readSequenceFormat(Path file) throws IOException {
        Map<String, List<String>> result = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                if (result.containsKey(fields[0])) {
                    throw new DataFormatException(file + ":" + lineNumber + ": user '" + fields[0] + "' appears twice");
                }
                result.put(fields[0], List.of(fields).subList(1, fields.length));
            }
        }
        return result;
    }
}
