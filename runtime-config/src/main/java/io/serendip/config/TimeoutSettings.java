package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Router to backend timeouts. */
public record TimeoutSettings(
        @JsonPropertyDescription("TCP connect timeout in milliseconds (default 500).")
        Integer connectMillis,
        @JsonPropertyDescription("Whole-request timeout in milliseconds (default 2000).")
        Integer requestMillis) {

    public TimeoutSettings {
        connectMillis = connectMillis == null ? 500 : connectMillis;
        requestMillis = requestMillis == null ? 2000 : requestMillis;
    }

    public static TimeoutSettings defaults() {
        return new TimeoutSettings(null, null);
    }
}
