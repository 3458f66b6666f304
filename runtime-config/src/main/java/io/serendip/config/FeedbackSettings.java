package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How the router accepts feedback: each served slate carries a signed request id, and a feedback event must name one.
 * Every replica of a router signs with the same key, so any of them can check an id the other issued.
 */
public record FeedbackSettings(
        @JsonPropertyDescription("File holding the key (at least 32 bytes) that signs request ids; every replica of the"
                + " router must read the same key. Absent: a random key per process (one replica only).")
        String keyFile,
        @JsonPropertyDescription("Seconds after serving during which a slate's feedback is accepted (60..604800).")
        Integer windowSeconds,
        @JsonPropertyDescription("Feedback items one replica expects per window; sizes the duplicate filter"
                + " (1000..100000000). Beyond it the filter rotates early and the replay check covers less than the"
                + " whole window.")
        Integer expectedPerWindow) {

    /**
     * Environment variable with the pod's IP (the operator sets it from the downward API): written into the ids a
     * replica hands out, so feedback reaching another replica can be passed to it.
     */
    public static final String POD_IP_ENV = "SERENDIP_POD_IP";
    public static final int DEFAULT_WINDOW_SECONDS = 3600;
    public static final int DEFAULT_EXPECTED_PER_WINDOW = 2_000_000;

    public FeedbackSettings {
        windowSeconds = windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds;
        expectedPerWindow = expectedPerWindow == null ? DEFAULT_EXPECTED_PER_WINDOW : expectedPerWindow;
    }

    public static FeedbackSettings defaults() {
        return new FeedbackSettings(null, null, null);
    }
}
