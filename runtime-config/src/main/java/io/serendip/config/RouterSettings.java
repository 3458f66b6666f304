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
        CircuitBreakerSettings circuitBreaker,
        @JsonPropertyDescription("Assignment key and QA override headers.")
        AssignmentSettings assignment,
        @JsonPropertyDescription("Opaque revision of this config (the operator stamps a content hash); reported in"
                + " /v1/stats as configRevision so the operator sees when every replica has loaded it.")
        String revision,
        @JsonPropertyDescription("Optional shadow arm: a mirrored share of requests, answers discarded, metered like an"
                + " arm.")
        ShadowSettings shadow,
        @JsonPropertyDescription("Signed request ids and the feedback that must name one.")
        FeedbackSettings feedback) {

    public RouterSettings {
        arms = arms == null ? List.of() : List.copyOf(arms);
        assignment = assignment == null ? AssignmentSettings.defaults() : assignment;
        timeouts = timeouts == null ? TimeoutSettings.defaults() : timeouts;
        circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.defaults() : circuitBreaker;
        feedback = feedback == null ? FeedbackSettings.defaults() : feedback;
    }

    /** Settings with default feedback handling. */
    public RouterSettings(String experiment, String salt, List<ArmSettings> arms, TimeoutSettings timeouts,
                          CircuitBreakerSettings circuitBreaker, AssignmentSettings assignment, String revision,
                          ShadowSettings shadow) {
        this(experiment, salt, arms, timeouts, circuitBreaker, assignment, revision, shadow, null);
    }

    /** Settings without a shadow arm. */
    public RouterSettings(String experiment, String salt, List<ArmSettings> arms, TimeoutSettings timeouts,
                          CircuitBreakerSettings circuitBreaker, AssignmentSettings assignment, String revision) {
        this(experiment, salt, arms, timeouts, circuitBreaker, assignment, revision, null, null);
    }

    /** Settings that hash the body's user, allow no override and carry no revision. */
    public RouterSettings(String experiment, String salt, List<ArmSettings> arms, TimeoutSettings timeouts,
                          CircuitBreakerSettings circuitBreaker) {
        this(experiment, salt, arms, timeouts, circuitBreaker, null, null, null, null);
    }

    /** The same settings stamped with {@code revision}. */
    public RouterSettings withRevision(String revision) {
        return new RouterSettings(experiment, salt, arms, timeouts, circuitBreaker, assignment, revision, shadow,
                feedback);
    }
}
