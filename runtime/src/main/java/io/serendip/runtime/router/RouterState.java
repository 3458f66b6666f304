package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.config.ConfigValidator;
import io.serendip.config.RouterSettings;
import io.serendip.config.RuntimeConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** One loaded router config: the assignment and a backend per arm. Swapped as a whole on reload. */
public final class RouterState implements AutoCloseable {
    private final RouterSettings settings;
    private final ArmAssigner assigner;
    private final Map<String, ArmBackend> backends = new LinkedHashMap<>();
    private final ArmSettings control;
    /** The shadow arm's backend, or null without one. */
    private final ArmBackend shadow;
    /**
     * The assignment keys seen under this config, so each user counts once per arm in the sample-ratio check.
     * Starts empty with every config: a weight change makes every returning user a new assignment under the new
     * weights. Past its capacity the filter misses more new users, for every arm alike.
     */
    private final SeenKeys assignedKeys = new SeenKeys(ASSIGNED_KEYS_CAPACITY);

    /** Users per config the assignment filter holds at a miss rate under 1% (1.5 MB, SeenKeysTest). */
    static final int ASSIGNED_KEYS_CAPACITY = 1_000_000;

    public RouterState(RuntimeConfig config) {
        this.settings = config.router();
        this.assigner = new ArmAssigner(settings.arms());
        for (ArmSettings arm : settings.arms()) {
            backends.put(arm.name(), new ArmBackend(arm, settings));
        }
        this.control = settings.arms().stream().filter(ArmSettings::isControl).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("router.arms: no control arm"));
        this.shadow = settings.shadow() == null ? null : new ArmBackend(settings.shadow().asArm(), settings);
    }

    /**
     * The shadow's backend when this request is to be mirrored to it (its share of requests, drawn at random), else
     * null: no shadow, or one that is not ready.
     */
    ArmBackend mirror() {
        if (shadow == null || !settings.shadow().isReady()) {
            return null;
        }
        return ThreadLocalRandom.current().nextInt(ConfigValidator.TOTAL_BASIS_POINTS)
                < settings.shadow().mirrorBasisPoints() ? shadow : null;
    }

    /** The names stats report: the arms, then the shadow. */
    public List<String> meteredNames() {
        List<String> names = new java.util.ArrayList<>(backends.keySet());
        if (shadow != null) {
            names.add(shadow.arm().name());
        }
        return names;
    }

    public RouterSettings settings() {
        return settings;
    }

    public String experiment() {
        return settings.experiment();
    }

    public List<String> armNames() {
        return List.copyOf(backends.keySet());
    }

    public ArmSettings control() {
        return control;
    }

    /** The arm a user is assigned to by hash, whether or not it is ready. */
    public ArmSettings assign(String userKey) {
        return assign(hash(userKey));
    }

    /** The user's hash under this config's salt ({@link ArmAssigner#hash}): computed once per request. */
    public long hash(String userKey) {
        return ArmAssigner.hash(settings.salt(), userKey);
    }

    /** The arm a user is assigned to by its {@link #hash}, whether or not it is ready. */
    public ArmSettings assign(long hash) {
        return assigner.armForBucket(ArmAssigner.bucketOf(hash));
    }

    /**
     * Whether this config has not assigned the user (by its {@link #hash}) before: true at most once per user, and
     * false for under 1% of new users (SeenKeys).
     */
    public boolean firstAssignment(long hash) {
        return assignedKeys.add(hash);
    }

    /** The arm that serves an assigned arm's request: itself when ready, else control. */
    public ArmSettings servingArm(ArmSettings assigned) {
        return assigned.isReady() ? assigned : control;
    }

    public ArmSettings arm(String name) {
        ArmBackend backend = backends.get(name);
        return backend == null ? null : backend.arm();
    }

    ArmBackend backend(ArmSettings arm) {
        return backends.get(arm.name());
    }

    @Override
    public void close() {
        backends.values().forEach(ArmBackend::close);
        if (shadow != null) {
            shadow.close();
        }
    }
}
