package io.serendip.runtime.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** One arm's Micrometer meters; the same numbers feed {@code /metrics} and {@code /v1/stats}. */
final class ArmMeters {
    final Counter requests;
    final Counter assignedUsers;
    final Counter errors;
    final Counter fallbacks;
    final Counter impressions;
    final Counter explorationImpressions;
    final Counter positiveFeedback;
    final Counter exploredPositiveFeedback;
    final Counter exploredNovel;
    final Counter skips;
    final Timer latency;
    final Counter overrides;
    final Counter overrideFallbacks;

    ArmMeters(MeterRegistry registry, String experiment, String arm) {
        requests = counter(registry, "serendip.router.requests", experiment, arm, "Recommend requests of users assigned to the arm");
        assignedUsers = counter(registry, "serendip.router.assigned.users", experiment, arm, "Users assigned to the arm, each counted once per loaded config (the sample-ratio check's units)");
        errors = counter(registry, "serendip.router.errors", experiment, arm, "Failed backend calls of the arm (connect, timeout, 5xx, open breaker)");
        fallbacks = counter(registry, "serendip.router.fallbacks", experiment, arm, "Requests of the arm's users served by control instead");
        impressions = counter(registry, "serendip.router.impressions", experiment, arm, "Items of the slates the router returned (the serving arm's)");
        explorationImpressions = counter(registry, "serendip.router.exploration.impressions", experiment, arm, "Explored items of the slates the router returned");
        positiveFeedback = counter(registry, "serendip.router.positive.feedback", experiment, arm, "Clicks and likes");
        exploredPositiveFeedback = counter(registry, "serendip.router.explored.positive.feedback", experiment, arm, "Clicks and likes on explored items");
        exploredNovel = counter(registry, "serendip.router.explored.novel", experiment, arm, "Explored items shown outside the user's history clusters");
        skips = counter(registry, "serendip.router.skips", experiment, arm, "Skipped items");
        overrides = counter(registry, "serendip.router.overrides", experiment, arm, "Requests forced onto the arm by the QA override header (not in the other counts)");
        overrideFallbacks = counter(registry, "serendip.router.override.fallbacks", experiment, arm, "Forced requests served by control instead");
        latency = Timer.builder("serendip.router.latency").tag("experiment", experiment).tag("arm", arm)
                .description("End-to-end recommend latency of the arm's users")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** A served slate's items, explored items and novel explored items. */
    void impressions(io.serendip.runtime.server.SlateCounts slate) {
        impressions.increment(slate.items());
        explorationImpressions.increment(slate.explored());
        exploredNovel.increment(slate.novel());
    }

    private static Counter counter(MeterRegistry registry, String name, String experiment, String arm, String description) {
        return Counter.builder(name).tag("experiment", experiment).tag("arm", arm).description(description).register(registry);
    }

    /** What one recommend request adds to: the experiment's counts, or the override counts of QA traffic. */
    interface Counts {
        void request();

        void fallback();

        void latency(long nanos);
    }

    // Built once: the request path allocates nothing for its counting.
    private final Counts experimentCounts = new Counts() {
        @Override
        public void request() {
            requests.increment();
        }

        @Override
        public void fallback() {
            fallbacks.increment();
        }

        @Override
        public void latency(long nanos) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    };

    private final Counts overrideCounts = new Counts() {
        @Override
        public void request() {
            overrides.increment();
        }

        @Override
        public void fallback() {
            overrideFallbacks.increment();
        }

        @Override
        public void latency(long nanos) {
            // QA latency stays out of the arm's latency
        }
    };

    Counts experimentCounts() {
        return experimentCounts;
    }

    Counts overrideCounts() {
        return overrideCounts;
    }

    JsonObject toJson() {
        JsonObject latencyMs = new JsonObject().put("p50", 0.0).put("p99", 0.0);
        for (ValueAtPercentile p : latency.takeSnapshot().percentileValues()) {
            double ms = p.value(TimeUnit.MILLISECONDS);
            latencyMs.put(p.percentile() == 0.5 ? "p50" : "p99", Math.round(ms * 1000) / 1000.0);
        }
        return new JsonObject()
                .put("requests", (long) requests.count())
                .put("assignedUsers", (long) assignedUsers.count())
                .put("errors", (long) errors.count())
                .put("fallbacks", (long) fallbacks.count())
                .put("impressions", (long) impressions.count())
                .put("explorationImpressions", (long) explorationImpressions.count())
                .put("positiveFeedback", (long) positiveFeedback.count())
                .put("exploredPositiveFeedback", (long) exploredPositiveFeedback.count())
                .put("exploredNovel", (long) exploredNovel.count())
                .put("skips", (long) skips.count())
                .put("overrides", (long) overrides.count())
                .put("latencyMs", latencyMs);
    }
}
