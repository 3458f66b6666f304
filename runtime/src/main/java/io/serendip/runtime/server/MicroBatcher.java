package io.serendip.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * Runs work items in batches on a few dedicated threads, so that concurrent requests share one model forward
 * pass. Batching is opportunistic (no timer): an idle thread takes the first waiting item at once, together
 * with whatever else is waiting up to the batch limit. Under light load a request therefore runs alone and
 * waits for nothing; under load the items that queue up while a batch runs form the next batch, which is when
 * a batched forward pass pays (its cost grows much slower than its size).
 *
 * <p>The queue is bounded: past {@code queueCapacity} waiting items {@link #submit} refuses at once instead of
 * letting latency grow without bound (a 503 for HTTP callers).
 */
public final class MicroBatcher<I, O> {

    /** One submitted item: its input and the future its batch completes. */
    public static final class Pending<I, O> {
        private final I input;
        private final CompletableFuture<O> result = new CompletableFuture<>();

        Pending(I input) {
            this.input = input;
        }

        /** An item outside any batcher, for running a batch function directly (tests). */
        public static <I, O> Pending<I, O> of(I input) {
            return new Pending<>(input);
        }

        public CompletableFuture<O> result() {
            return result;
        }

        public I input() {
            return input;
        }

        public void complete(O output) {
            result.complete(output);
        }

        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }

    /** Processes one batch; must complete or fail every item (an item left open, or a throw, fails it). */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        void run(List<Pending<I, O>> batch);
    }

    private final BlockingQueue<Pending<I, O>> queue;
    private final IntSupplier maxBatch;
    private final BatchFunction<I, O> function;
    private final IntConsumer batchSizes;

    /**
     * @param maxBatch   the batch limit, read before every batch (so a config reload can change it); below 1 counts as 1
     * @param batchSizes told the size of every batch run (metrics)
     */
    public MicroBatcher(String name, int threads, int queueCapacity, IntSupplier maxBatch,
                        BatchFunction<I, O> function, IntConsumer batchSizes) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.function = function;
        this.batchSizes = batchSizes;
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::loop, name + "-" + i);
            thread.setDaemon(true); // requests are drained before shutdown; an idle batcher must not hold the JVM
            thread.start();
        }
    }

    /** Queues an item; the future completes on a batcher thread. */
    public CompletableFuture<O> submit(I input) {
        Pending<I, O> pending = new Pending<>(input);
        if (!queue.offer(pending)) {
            pending.fail(ApiException.unavailable("too many requests waiting (" + queue.size() + "); retry later"));
        }
        return pending.result();
    }

    /** Items waiting for a batcher thread. */
    public int waiting() {
        return queue.size();
    }

    private void loop() {
        List<Pending<I, O>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, Math.max(1, maxBatch.getAsInt()) - 1);
            runBatch(batch);
            batch.clear();
        }
    }

    private void runBatch(List<Pending<I, O>> batch) {
        try {
            batchSizes.accept(batch.size());
            function.run(batch);
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.fail(e));
        }
        for (Pending<I, O> pending : batch) {
            if (!pending.result.isDone()) {
                pending.fail(new IllegalStateException("the batch function left an item unanswered"));
            }
        }
    }
}
