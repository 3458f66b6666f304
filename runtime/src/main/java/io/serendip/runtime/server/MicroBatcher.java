package io.serendip.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Runs work items in batches on a few dedicated threads, so that concurrent requests share one model forward
 * pass. An idle thread takes the first waiting item together with whatever else is waiting up to the batch
 * limit. With no batch delay (the default) that is all: under light load a request runs alone and waits for
 * nothing; under load the items that queue up while a batch runs form the next batch, which is when a batched
 * forward pass pays (its cost grows much slower than its size). With a batch delay (KServe's {@code
 * maxLatency}, TorchServe's {@code max_batch_delay}) a batch that is not full waits for more items until its
 * first item has waited that long since it was submitted: at moderate load, fewer and larger batches for a
 * bounded extra latency. An item that already waited its delay in the queue waits no more.
 *
 * <p>The queue is bounded: past {@code queueCapacity} waiting items {@link #submit} refuses at once instead of
 * letting latency grow without bound (a 503 for HTTP callers).
 */
public final class MicroBatcher<I, O> {

    /** One submitted item: its input and the future its batch completes. */
    public static final class Pending<I, O> {
        private final I input;
        private final long submittedNanos = System.nanoTime();
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
    private final LongSupplier maxDelayNanos;
    private final BatchFunction<I, O> function;
    private final IntConsumer batchSizes;

    /** A batcher without batch delay: batches form only from items already waiting. */
    public MicroBatcher(String name, int threads, int queueCapacity, IntSupplier maxBatch,
                        BatchFunction<I, O> function, IntConsumer batchSizes) {
        this(name, threads, queueCapacity, maxBatch, () -> 0L, function, batchSizes);
    }

    /**
     * @param maxBatch      the batch limit, read before every batch (so a config reload can change it); below 1
     *                      counts as 1
     * @param maxDelayNanos how long a batch that is not full may wait for more items, counted from its first
     *                      item's submission; read before every batch; 0 or less: no waiting
     * @param batchSizes    told the size of every batch run (metrics)
     */
    public MicroBatcher(String name, int threads, int queueCapacity, IntSupplier maxBatch, LongSupplier maxDelayNanos,
                        BatchFunction<I, O> function, IntConsumer batchSizes) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelayNanos;
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
            boolean interrupted = false;
            try {
                batch.add(queue.take());
                int limit = Math.max(1, maxBatch.getAsInt());
                queue.drainTo(batch, limit - 1);
                long delay = maxDelayNanos.getAsLong();
                if (delay > 0) {
                    fill(batch, limit, batch.get(0).submittedNanos + delay);
                }
            } catch (InterruptedException e) {
                interrupted = true; // run what was taken, then stop
            }
            if (!batch.isEmpty()) {
                runBatch(batch);
                batch.clear();
            }
            if (interrupted) {
                return;
            }
        }
    }

    /** Adds items as they arrive until the batch is full or the deadline ({@link System#nanoTime}) passes. */
    private void fill(List<Pending<I, O>> batch, int limit, long deadline) throws InterruptedException {
        while (batch.size() < limit) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending<I, O> next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, limit - batch.size());
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
