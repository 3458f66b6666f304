package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.config.RouterSettings;
import io.serendip.config.RuntimeConfig;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One loaded router config: the assignment and a backend per arm. Swapped as a whole on reload. */
public final class RouterState implements AutoCloseable {
    private final RouterSettings settings;
    private final ArmAssigner assigner;
    private final Map<String, ArmBackend> backends = new LinkedHashMap<>();
    private final ArmSettings control;

    public RouterState(Vertx vertx, RuntimeConfig config) {
        this.settings = config.router();
        this.assigner = new ArmAssigner(settings.arms());
        for (ArmSettings arm : settings.arms()) {
            backends.put(arm.name(), new ArmBackend(vertx, arm, settings));
        }
        this.control = settings.arms().stream().filter(ArmSettings::isControl).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("router.arms: no control arm"));
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
        return assigner.assign(settings.salt(), userKey);
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
    }
}
