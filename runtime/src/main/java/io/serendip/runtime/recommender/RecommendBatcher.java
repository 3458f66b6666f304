package io.serendip.runtime.recommender;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.serendip.runtime.server.MicroBatcher;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Computes slates for concurrent requests with one batched forward pass per batch: the user states of all
 * waiting histories come from a single {@code encodeAll}, then each request's slate is built from its own state.
 * Requests leased on different model generations (a hot swap in between) are encoded per generation.
 */
final class RecommendBatcher {
    /** Upper bound of waiting requests per batcher thread before new ones are refused with 503. */
    static final int QUEUE_PER_THREAD = 256;

    /** One request, its ids already mapped to the leased generation's dense item indices. */
    record Job(RecommenderModels models, int[] history, int k, int explorationSlots) {
    }

    private final MicroBatcher<Job, Recommendation> batcher;

    RecommendBatcher(int threads, IntSupplier maxBatch, LongSupplier maxDelayNanos, MeterRegistry registry) {
        DistributionSummary sizes = DistributionSummary.builder("serendip.recommender.batch.size")
                .description("Requests whose forward passes ran as one batch")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        batcher = new MicroBatcher<>("recommender-batch", threads, threads * QUEUE_PER_THREAD, maxBatch,
                maxDelayNanos, RecommendBatcher::run, sizes::record);
    }

    CompletableFuture<Recommendation> submit(Job job) {
        return batcher.submit(job);
    }

    static void run(List<MicroBatcher.Pending<Job, Recommendation>> batch) {
        Map<RecommenderModels, List<MicroBatcher.Pending<Job, Recommendation>>> byGeneration = new IdentityHashMap<>();
        for (MicroBatcher.Pending<Job, Recommendation> pending : batch) {
            byGeneration.computeIfAbsent(pending.input().models(), m -> new ArrayList<>()).add(pending);
        }
        byGeneration.forEach(RecommendBatcher::runGeneration);
    }

    private static void runGeneration(RecommenderModels models, List<MicroBatcher.Pending<Job, Recommendation>> jobs) {
        int[][] windows = new int[jobs.size()][];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = RecommendService.window(models, jobs.get(i).input().history());
        }
        float[][] states;
        try {
            states = models.recommender().encodeAll(windows);
        } catch (RuntimeException e) {
            jobs.forEach(p -> p.fail(e));
            return;
        }
        for (int i = 0; i < states.length; i++) {
            MicroBatcher.Pending<Job, Recommendation> pending = jobs.get(i);
            Job job = pending.input();
            try {
                pending.complete(RecommendService.recommend(models, job.history(), states[i], job.k(), job.explorationSlots()));
            } catch (RuntimeException e) {
                pending.fail(e);
            }
        }
    }
}
