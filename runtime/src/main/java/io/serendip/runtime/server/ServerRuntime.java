package io.serendip.runtime.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.serendip.config.ConfigException;
import io.serendip.config.ConfigKind;
import io.serendip.config.RuntimeConfig;
import io.serendip.runtime.reload.ConfigWatcher;
import io.serendip.runtime.reload.Generations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server process: Vert.x, the HTTP shell, the hot-reloaded generation of whatever the
 * server serves, and the config watcher. Listener settings (port) are taken from the first config;
 * everything else follows reloads.
 */
public final class ServerRuntime<T extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

    /** What a concrete server contributes. */
    public interface Spec<T extends AutoCloseable> {
        ConfigKind kind();

        /** Loads and checks a generation; throw to refuse it (the old one keeps serving). */
        T load(Vertx vertx, RuntimeConfig config) throws Exception;

        /** Artifact paths whose change triggers a reload. */
        List<Path> artifacts(RuntimeConfig config);

        /** Adds the API routes. */
        void mount(HttpShell shell, Generations<T> generations, ConfigWatcher<T> watcher);

        /** Whether a loaded generation can serve requests (readiness); loaded is enough unless a server says otherwise. */
        default boolean canServe(T generation) {
            return true;
        }
    }

    private final Vertx vertx;
    private final HttpShell shell;
    private final Generations<T> generations;
    private final ConfigWatcher<T> watcher;

    private ServerRuntime(Vertx vertx, HttpShell shell, Generations<T> generations, ConfigWatcher<T> watcher) {
        this.vertx = vertx;
        this.shell = shell;
        this.generations = generations;
        this.watcher = watcher;
    }

    /** Loads the config and models, starts listening and starts watching for changes. */
    public static <T extends AutoCloseable> ServerRuntime<T> start(Path configFile, Spec<T> spec, long reloadMillis)
            throws Exception {
        int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        try {
            PrometheusMeterRegistry registry = Metrics.newRegistry(spec.kind().name());
            Generations<T> generations = new Generations<>();
            ConfigWatcher<T> watcher = new ConfigWatcher<>(configFile, config -> {
                if (config.kind() != spec.kind()) {
                    throw new ConfigException(List.of("kind: must be " + spec.kind() + " for this server (got " + config.kind() + ")"));
                }
                return spec.load(vertx, config);
            }, spec::artifacts, generations, registry);
            RuntimeConfig initial = watcher.loadInitial();
            HttpShell shell = new HttpShell(vertx, initial.server(), registry, () -> canServe(generations, spec));
            spec.mount(shell, generations, watcher);
            shell.start(eventLoops).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (reloadMillis > 0) {
                watcher.startPolling(reloadMillis);
            }
            return new ServerRuntime<>(vertx, shell, generations, watcher);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    private static <T extends AutoCloseable> boolean canServe(Generations<T> generations, Spec<T> spec) {
        try (Generations.Lease<T> lease = generations.acquire()) {
            return lease != null && spec.canServe(lease.value());
        }
    }

    public int port() {
        return shell.port();
    }

    public ConfigWatcher<T> watcher() {
        return watcher;
    }

    public Generations<T> generations() {
        return generations;
    }

    public HttpShell shell() {
        return shell;
    }

    /** Drains in-flight requests, then closes the listener, the models and Vert.x. */
    public Future<Void> stop() {
        watcher.close();
        return shell.drainAndStop()
                .eventually(() -> {
                    generations.close();
                    return vertx.close();
                })
                .onComplete(r -> LOG.info("stopped"));
    }

    @Override
    public void close() throws Exception {
        stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
