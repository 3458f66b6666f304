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
        Device device,
        @JsonPropertyDescription("Most concurrent requests whose forward passes run as one batch, 1..256 (default 16;"
                + " 1 turns batching off). Batches form only from requests already waiting: none waits for a batch to fill.")
        Integer maxBatchSize) {

    public static final int DEFAULT_SLATE_SIZE = 10;
    public static final double DEFAULT_EXPLORATION_SHARE = 0.2;
    public static final int DEFAULT_MAX_BATCH_SIZE = 16;

    public RecommenderSettings {
        defaultSlateSize = defaultSlateSize == null ? DEFAULT_SLATE_SIZE : defaultSlateSize;
        defaultExplorationShare = defaultExplorationShare == null ? DEFAULT_EXPLORATION_SHARE : defaultExplorationShare;
        device = device == null ? Device.AUTO : device;
        maxBatchSize = maxBatchSize == null ? DEFAULT_MAX_BATCH_SIZE : maxBatchSize;
    }

    /** Settings with the default batch limit. */
    public RecommenderSettings(String modelDir, String clustersDir, String noveltyTable, Integer defaultSlateSize,
                               Double defaultExplorationShare, Device device) {
        this(modelDir, clustersDir, noveltyTable, defaultSlateSize, defaultExplorationShare, device, null);
    }
}
