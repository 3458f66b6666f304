package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    private final List<Integer> sizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchRunning = new CountDownLatch(1);
    private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);

    /** Doubles each input; the first batch blocks until released, so later submissions queue up behind it. */
    private void doubleAfterFirstBlocks(List<MicroBatcher.Pending<Integer, Integer>> batch) {
        if (firstBatchRunning.getCount() > 0) {
            firstBatchRunning.countDown();
            await(releaseFirstBatch);
        }
        batch.forEach(p -> p.complete(p.input() * 2));
    }

    /** One batcher thread whose first batch blocks until released. */
    private MicroBatcher<Integer, Integer> blockingFirst(int queueCapacity, IntSupplier limit) {
        return new MicroBatcher<>("t", 1, queueCapacity, limit, this::doubleAfterFirstBlocks, sizes::add);
    }

    @Test
    void aLoneRequestRunsAtOnceAndRequestsThatWaitedShareTheNextBatch() throws Exception {
        MicroBatcher<Integer, Integer> batcher = blockingFirst(100, () -> 16);
        CompletableFuture<Integer> first = batcher.submit(1);
        await(firstBatchRunning);
        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            waiting.add(batcher.submit(i));
        }
        releaseFirstBatch.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(waiting.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * (i + 2));
        }
        assertThat(sizes).containsExactly(1, 5);
    }

    @Test
    void batchesNeverExceedTheLimitReadBeforeEachBatch() throws Exception {
        AtomicInteger limit = new AtomicInteger(4);
        MicroBatcher<Integer, Integer> batcher = blockingFirst(100, limit::get);
        CompletableFuture<Integer> first = batcher.submit(0);
        await(firstBatchRunning);
        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            waiting.add(batcher.submit(i));
        }
        limit.set(3); // a reload between batches applies to the next one
        releaseFirstBatch.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<Integer> f : waiting) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(sizes).containsExactly(1, 3, 3, 3, 1);
    }

    @Test
    void withABatchDelayABatchWaitsForLaterItemsUntilItIsFull() throws Exception {
        // a delay far longer than the test: only a full batch can have ended the wait
        MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("t", 1, 100, () -> 3,
                () -> TimeUnit.MINUTES.toNanos(10), batch -> batch.forEach(p -> p.complete(p.input() * 2)), sizes::add);
        CompletableFuture<Integer> first = batcher.submit(1);
        CompletableFuture<Integer> second = batcher.submit(2);
        assertThat(first).isNotDone();
        CompletableFuture<Integer> third = batcher.submit(3);
        assertThat(List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS),
                third.get(5, TimeUnit.SECONDS))).containsExactly(2, 4, 6);
        assertThat(sizes).containsExactly(3);
    }

    @Test
    void aBatchThatIsNotFullRunsWhenItsFirstItemHasWaitedTheDelay() throws Exception {
        MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("t", 1, 100, () -> 16,
                () -> TimeUnit.MILLISECONDS.toNanos(20), batch -> batch.forEach(p -> p.complete(p.input())), sizes::add);
        assertThat(batcher.submit(5).get(5, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(batcher.submit(6).get(5, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(sizes).containsExactly(1, 1);
    }

    @Test
    void aThrowingBatchFailsItsItemsAndTheThreadServesTheNextOne() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("t", 1, 100, () -> 16, batch -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("engine failure");
            }
            batch.forEach(p -> p.complete(p.input()));
        }, sizes::add);
        assertThatThrownBy(() -> batcher.submit(1).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("engine failure");
        assertThat(batcher.submit(7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
    }

    @Test
    void anItemTheFunctionLeavesOpenIsFailedNotLeftHanging() {
        MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("t", 1, 100, () -> 16, batch -> { }, sizes::add);
        assertThatThrownBy(() -> batcher.submit(1).get(5, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("the batch function left an item unanswered");
    }

    @Test
    void pastTheQueueCapacityASubmissionIsRefusedWith503() throws Exception {
        MicroBatcher<Integer, Integer> batcher = blockingFirst(2, () -> 16);
        CompletableFuture<Integer> running = batcher.submit(0);
        await(firstBatchRunning);
        CompletableFuture<Integer> a = batcher.submit(1);
        CompletableFuture<Integer> b = batcher.submit(2);
        CompletableFuture<Integer> refused = batcher.submit(3);
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e.getCause()).status()).isEqualTo(503));
        releaseFirstBatch.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo(4);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
