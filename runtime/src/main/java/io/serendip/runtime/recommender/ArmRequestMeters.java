package io.serendip.runtime.recommender;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Recommend requests and their latency per experiment arm, as the router names the arm in a header: the same
 * recommender can serve several arms (or experiments), and each arm's serving side is what its guardrails compare.
 * Arm names come from a request header, so only well-formed names are tags, and at most {@link #MAX_ARMS} of them;
 * anything else is counted as {@code other}, requests without the header as {@code direct}.
 */
final class ArmRequestMeters {
    static final int MAX_ARMS = 32;
    private static final Pattern ARM_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    ArmRequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The timer of the named arm (its count is the arm's requests). */
    Timer arm(String header) {
        String arm = header == null ? "direct" : ARM_NAME.matcher(header).matches() ? header : "other";
        Timer timer = timers.get(arm);
        if (timer != null) {
            return timer;
        }
        if (timers.size() >= MAX_ARMS) {
            arm = "other";
        }
        return timers.computeIfAbsent(arm, a -> Timer.builder("serendip.recommender.requests").tag("arm", a)
                .description("Recommend requests answered, by the arm the router sent them for, and their latency")
                .publishPercentileHistogram()
                .register(registry));
    }
}
