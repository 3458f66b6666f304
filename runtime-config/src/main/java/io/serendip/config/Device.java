package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a model runs. {@code auto} takes a GPU when the engine finds one, else the CPU. */
public enum Device {
    @JsonProperty("auto") AUTO,
    @JsonProperty("cpu") CPU,
    @JsonProperty("gpu") GPU
}
