package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The {@code recommender} section of a {@link ConfigKind#RecommenderConfig}. */
public record RecommenderSettings(
        @JsonPropertyDescription("Sequence-recommender artifact directory (manifest.json inside).")
        String modelDir,
        @JsonPropertyDescription("Interest-cluster artifact directory (manifest.json inside).")
        String clustersDir,
        @JsonPropertyDescription("Path of the precomputed novelty table file.")
        String noveltyTable,
        @JsonPropertyDescription("Slate size when a request gives none (default 10).")
        Integer defaultSlateSize,
        @JsonPropertyDescription("Share of the slate given to exploration when a request gives none, 0..1 (default 0.2).")
        Double defaultExplorationShare,
        @JsonPropertyDescription("Where the model runs: auto, cpu or gpu (default auto).")
        Device device) {

    public static final int DEFAULT_SLATE_SIZE = 10;
    public static final double DEFAULT_EXPLORATION_SHARE = 0.2;

    public RecommenderSettings {
        defaultSlateSize = defaultSlateSize == null ? DEFAULT_SLATE_SIZE : defaultSlateSize;
        defaultExplorationShare = defaultExplorationShare == null ? DEFAULT_EXPLORATION_SHARE : defaultExplorationShare;
        device = device == null ? Device.AUTO : device;
    }
}
