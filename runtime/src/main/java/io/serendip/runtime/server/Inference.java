package io.serendip.runtime.server;

import io.serendip.runtime.reload.Generations;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.function.Function;

/**
 * Runs model calls off the event loop on a bounded worker pool, on the generation leased when the
 * request arrived. The lease is released when the model call ends, not when the response does: a client
 * that goes away mid-request ends its response at once, and a hot swap must still not close a model
 * under a running call.
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

    /** {@code work} on the current generation; what it returns must not hold on to the models. */
    public <R> Future<R> run(Function<T, R> work) {
        Generations.Lease<T> lease;
        try {
            lease = acquire(generations);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        return workers.executeBlocking(() -> work.apply(lease.value()), false).andThen(done -> lease.close());
    }

    /**
     * The current generation; the caller closes the lease once it no longer uses the models.
     *
     * @throws ApiException 503 while no generation is loaded
     */
    public static <T extends AutoCloseable> Generations.Lease<T> acquire(Generations<T> generations) {
        Generations.Lease<T> lease = generations.acquire();
        if (lease == null) {
            throw ApiException.unavailable("models not loaded yet");
        }
        return lease;
    }
}
