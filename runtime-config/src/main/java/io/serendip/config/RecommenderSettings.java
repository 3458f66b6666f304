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
                + " 1 turns batching off).")
        Integer maxBatchSize,
        @JsonPropertyDescription("How long a batch that is not full may wait for more requests, in microseconds from"
                + " its first request's arrival, 0..100000 (default 0: batches form only from requests already"
                + " waiting, and none waits for a batch to fill).")
        Integer maxBatchDelayMicros) {

    public static final int DEFAULT_SLATE_SIZE = 10;
    public static final double DEFAULT_EXPLORATION_SHARE = 0.2;
    public static final int DEFAULT_MAX_BATCH_SIZE = 16;
    public static final int MAX_BATCH_DELAY_MICROS = 100_000;

    public RecommenderSettings {
        defaultSlateSize = defaultSlateSize == null ? DEFAULT_SLATE_SIZE : defaultSlateSize;
        defaultExplorationShare = defaultExplorationShare == null ? DEFAULT_EXPLORATION_SHARE : defaultExplorationShare;
        device = device == null ? Device.AUTO : device;
        maxBatchSize = maxBatchSize == null ? DEFAULT_MAX_BATCH_SIZE : maxBatchSize;
        maxBatchDelayMicros = maxBatchDelayMicros == null ? 0 : maxBatchDelayMicros;
    }

    /** Settings with the default batching (limit 16, no delay). */
    public RecommenderSettings(String modelDir, String clustersDir, String noveltyTable, Integer defaultSlateSize,
                               Double defaultExplorationShare, Device device) {
        this(modelDir, clustersDir, noveltyTable, defaultSlateSize, defaultExplorationShare, device, null, null);
    }
}
