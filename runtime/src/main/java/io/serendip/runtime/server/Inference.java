package io.serendip.runtime.server;

import io.serendip.runtime.reload.Generations;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Runs model calls off the event loop on a bounded worker pool, on the generation leased when the
 * request arrived (the lease is released when the response ends, so a hot swap never closes a
 * model under a running request).
 */
public final class Inference<T extends AutoCloseable> {
    private final Generations<T> generations;
    private final WorkerExecutor workers;

    public Inference(HttpShell shell, Generations<T> generations, String name, int threads) {
        this.generations = generations;
        this.workers = shell.vertx().createSharedWorkerExecutor(name, threads);
    }

    public static int defaultThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public <R> Future<R> run(RoutingContext ctx, Function<T, R> work) {
        T models;
        try {
            models = lease(ctx, generations);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        return workers.executeBlocking(() -> work.apply(models), false);
    }

    /**
     * The current generation, held until the response to {@code ctx} ends.
     *
     * @throws ApiException 503 while no generation is loaded
     */
    public static <T extends AutoCloseable> T lease(RoutingContext ctx, Generations<T> generations) {
        Generations.Lease<T> lease = generations.acquire();
        if (lease == null) {
            throw ApiException.unavailable("models not loaded yet");
        }
        ctx.addEndHandler(v -> lease.close());
        return lease.value();
    }
}
