package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The {@code clusterBuild} section of a {@link JobKind#ClusterBuild} Job config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterBuildSettings(
        @JsonPropertyDescription("MovieLens100K (u.item/u.data), Sequences (one line per user) or Dataset"
                + " (catalog.jsonl + interactions.jsonl).")
        CatalogFormat catalogFormat,
        @JsonPropertyDescription("Catalog directory (a file for Sequences).")
        String catalog,
        @JsonPropertyDescription("ItemTextEncoder (a sentence encoder over item text) or CoOccurrence.")
        Embedding embedding,
        @JsonPropertyDescription("CoOccurrence: embedding dimension.")
        Integer dimension,
        @JsonPropertyDescription("ItemTextEncoder: the encoder's name.")
        String textModel,
        @JsonPropertyDescription("Cluster count per level, coarse to fine; the last level serves.")
        List<Integer> levels,
        @JsonPropertyDescription("Keywords per cluster description.")
        Integer keywords,
        @JsonPropertyDescription("Random seed of embedding and clustering.")
        Long seed,
        @JsonPropertyDescription("The cluster-set artifact directory to write.")
        String output) {

    /** How the catalog is laid out. */
    public enum CatalogFormat { MovieLens100K, Sequences, Dataset }

    /** Where item vectors come from. */
    public enum Embedding { ItemTextEncoder, CoOccurrence }

    public ClusterBuildSettings {
        levels = levels == null ? List.of() : List.copyOf(levels);
    }
}
