package io.serendip.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.ml.artifact.ItemIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatsTest {
    @TempDir
    Path dir;

    @Test
    void catalogAndInteractionsRoundTrip() throws Exception {
        Catalog catalog = new Catalog(List.of(new CatalogItem("a", "Alpha", "alpha text", List.of("x")),
                new CatalogItem("b", null, null, null)));
        List<Interaction> interactions = List.of(Interaction.rated("u1", "a", 5, 4.5),
                Interaction.event("u1", "b", 6, "Like"));
        Dataset dataset = new Dataset(catalog, interactions);
        dataset.write(dir);

        Dataset read = Dataset.read(dir);
        assertThat(read.catalog()).isEqualTo(catalog);
        assertThat(read.interactions()).containsExactly(Interaction.rated("u1", "a", 5, 4.5),
                Interaction.event("u1", "b", 6, "like"));
    }

    @Test
    void badLinesNameFileLineAndField() throws Exception {
        Path file = dir.resolve("interactions.jsonl");
        Files.writeString(file, "{\"user\":\"u\",\"item\":\"a\",\"timestamp\":1,\"rating\":5}\n"
                + "{\"user\":\"u\",\"timestamp\":2,\"rating\":5}\n");
        assertThatThrownBy(() -> Interactions.read(file)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("interactions.jsonl:2").hasMessageContaining("'item'");
        Files.writeString(file, "{\"user\":\"u\",\"item\":\"a\",\"timestamp\":1,\"event\":\"teleport\"}\n");
        assertThatThrownBy(() -> Interactions.read(file)).hasMessageContaining("'event'");
        Files.writeString(file, "{\"user\":\"u\",\"item\":\"a\",\"event\":\"click\"}\n");
        assertThatThrownBy(() -> Interactions.read(file)).hasMessageContaining("'timestamp'");
        Files.writeString(file, "{\"user\":\"u\",\"item\":\"a\",\"timestamp\":\"soon\",\"event\":\"click\"}\n");
        assertThatThrownBy(() -> Interactions.read(file)).hasMessageContaining(":1");
        Path catalog = dir.resolve("catalog.jsonl");
        Files.writeString(catalog, "{\"title\":\"no id\"}\n");
        assertThatThrownBy(() -> Catalog.read(catalog)).hasMessageContaining("'id'");
        Files.writeString(catalog, "{\"id\":\"a\"}\n{\"id\":\"a\"}\n");
        assertThatThrownBy(() -> Catalog.read(catalog)).hasMessageContaining("duplicate");
    }

    @Test
    void positiveSequencesAreChronologicalAndSkipNegativeAndUnknown() {
        ItemIndex items = ItemIndex.of(List.of("a", "b", "c"));
        List<Interaction> log = List.of(Interaction.rated("u1", "b", 20, 5), Interaction.rated("u1", "a", 10, 4),
                Interaction.rated("u1", "c", 15, 3), Interaction.event("u2", "c", 1, "skip"),
                Interaction.event("u2", "a", 2, "click"), Interaction.event("u2", "zzz", 3, "click"),
                Interaction.rated("u1", "c", 20, 4));
        int[] skipped = new int[1];
        PositiveSequences sequences = PositiveSequences.from(log, items, 4.0, skipped);
        assertThat(sequences.users()).containsExactly("u1", "u2");
        assertThat(sequences.sequences().get(0)).containsExactly(0, 1, 2); // tie at t=20 keeps input order
        assertThat(sequences.sequences().get(1)).containsExactly(0);
        assertThat(skipped[0]).isEqualTo(1);
    }

    @Test
    void sequenceFormatRoundTripsAndImports() throws Exception {
        Path file = dir.resolve("seq.txt");
        Files.writeString(file, "# comment\nu1 a b a\n\nu2 c\n");
        Map<String, List<String>> read = PositiveSequences.readSequenceFormat(file);
        assertThat(read).containsEntry("u1", List.of("a", "b", "a")).containsEntry("u2", List.of("c"));

        Dataset dataset = SequenceImporter.importFrom(file, null);
        assertThat(dataset.catalog().index().ids()).containsExactly("a", "b", "c");
        PositiveSequences sequences = dataset.positiveSequences();
        assertThat(sequences.sequences().get(0)).containsExactly(0, 1, 0);

        Path out = dir.resolve("out.txt");
        sequences.writeSequenceFormat(out, dataset.catalog().index());
        assertThat(Files.readAllLines(out)).containsExactly("u1 a b a", "u2 c");

        Files.writeString(file, "u1 a\nu1 b\n");
        assertThatThrownBy(() -> PositiveSequences.readSequenceFormat(file)).hasMessageContaining(":2");
    }

    @Test
    void syntheticDataIsDeterministicAndHasPlantedTransitions() {
        SyntheticGenerator.Options options = new SyntheticGenerator.Options(200, 300, 10, 12, 7);
        Dataset first = SyntheticGenerator.generate(options);
        Dataset second = SyntheticGenerator.generate(options);
        assertThat(first).isEqualTo(second);
        assertThat(first.catalog().size()).isEqualTo(200);
        assertThat(first.interactions()).anyMatch(i -> "skip".equals(i.event()));

        // the planted "+1 topic" move must dominate topic changes
        PositiveSequences sequences = first.positiveSequences();
        int changes = 0;
        int plusOne = 0;
        for (int[] sequence : sequences.sequences()) {
            for (int i = 1; i < sequence.length; i++) {
                int from = SyntheticGenerator.topicOf(first.catalog().get(sequence[i - 1]));
                int to = SyntheticGenerator.topicOf(first.catalog().get(sequence[i]));
                if (from != to) {
                    changes++;
                    plusOne += to == (from + 1) % 10 ? 1 : 0;
                }
            }
        }
        assertThat(changes).isGreaterThan(500);
        assertThat((double) plusOne / changes).isBetween(0.5, 0.75);
    }
}
