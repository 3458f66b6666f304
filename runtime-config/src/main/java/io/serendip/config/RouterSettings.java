package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The {@code router} section of a {@link ConfigKind#RouterConfig}. */
public record RouterSettings(
        @JsonPropertyDescription("Experiment name; reported in stats and metrics.")
        String experiment,
        @JsonPropertyDescription("Salt mixed into the user hash; changing it reshuffles every assignment.")
        String salt,
        @JsonPropertyDescription("The arms; exactly one is the control; weights sum to 10000 basis points.")
        List<ArmSettings> arms,
        @JsonPropertyDescription("Backend timeouts.")
        TimeoutSettings timeouts,
        @JsonPropertyDescription("Per-arm circuit breaker.")
        CircuitBreakerSettings circuitBreaker) {

    public RouterSettings {
        arms = arms == null ? List.of() : List.copyOf(arms);
        timeouts = timeouts == null ? TimeoutSettings.defaults() : timeouts;
        circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.defaults() : circuitBreaker;
    }
}
