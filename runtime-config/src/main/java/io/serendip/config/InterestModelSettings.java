package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The {@code interestModel} section of an {@link ConfigKind#InterestModelConfig}. */
public record InterestModelSettings(
        @JsonPropertyDescription("Novel-interest model artifact directory (manifest.json inside).")
        String modelDir,
        @JsonPropertyDescription("Interest-cluster artifact directory the model was trained on.")
        String clustersDir,
        @JsonPropertyDescription("Number k of distinct history clusters the model reads (default 2).")
        Integer historyLength,
        @JsonPropertyDescription("Number of novel clusters returned per history (default 3).")
        Integer candidates,
        @JsonPropertyDescription("Where the model runs: auto, cpu or gpu (default auto).")
        Device device) {

    public static final int DEFAULT_HISTORY_LENGTH = 2;
    public static final int DEFAULT_CANDIDATES = 3;

    public InterestModelSettings {
        historyLength = historyLength == null ? DEFAULT_HISTORY_LENGTH : historyLength;
        candidates = candidates == null ? DEFAULT_CANDIDATES : candidates;
        device = device == null ? Device.AUTO : device;
    }
}
