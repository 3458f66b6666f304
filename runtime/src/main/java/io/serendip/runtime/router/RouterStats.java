package io.serendip.runtime.router;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-arm meters kept for the whole process life (cumulative across config reloads). */
public final class RouterStats {
    private final MeterRegistry registry;
    private final Instant startedAt = Instant.now();
    /** By experiment, then arm: two lookups of config strings (their hashes cached), no key built per request. */
    private final Map<String, Map<String, ArmMeters>> arms = new ConcurrentHashMap<>();

    public RouterStats(MeterRegistry registry) {
        this.registry = registry;
    }

    ArmMeters arm(String experiment, String arm) {
        Map<String, ArmMeters> byArm = arms.computeIfAbsent(experiment, e -> new ConcurrentHashMap<>());
        ArmMeters meters = byArm.get(arm); // get first: a request asks several times, the lambda would allocate each
        return meters != null ? meters : byArm.computeIfAbsent(arm, a -> new ArmMeters(registry, experiment, arm));
    }

    /** The {@code GET /v1/stats} document for the arms of the current config. */
    public JsonObject toJson(String experiment, Iterable<String> armNames) {
        JsonObject armsJson = new JsonObject();
        for (String name : armNames) {
            armsJson.put(name, arm(experiment, name).toJson());
        }
        return new JsonObject().put("experiment", experiment).put("startedAt", startedAt.toString()).put("arms", armsJson);
    }
}
