package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Per-arm circuit breaker: after this many consecutive failures the arm is skipped for openMillis. */
public record CircuitBreakerSettings(
        @JsonPropertyDescription("Consecutive failures that open the breaker (default 5).")
        Integer failureThreshold,
        @JsonPropertyDescription("How long an open breaker stays open before a trial request, in milliseconds (default 10000).")
        Integer openMillis) {

    public CircuitBreakerSettings {
        failureThreshold = failureThreshold == null ? 5 : failureThreshold;
        openMillis = openMillis == null ? 10_000 : openMillis;
    }

    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(null, null);
    }
}
