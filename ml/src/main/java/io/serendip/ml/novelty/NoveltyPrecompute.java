package io.serendip.ml.novelty;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.HistoryRows;
import io.serendip.ml.artifact.NoveltyTableHeader;
import io.serendip.ml.artifact.NoveltyTableWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Precomputes novelty table rows: histories of exactly k distinct clusters ask the main source; shorter histories
 * (the fallback rows) ask the crowd-level fallback source. Every proposed cluster is checked; invalid ids, history
 * members and repeats are dropped and counted, and the row is topped up from the fallback source.
 */
public final class NoveltyPrecompute {

    /** What a run wrote and how clean the main source's proposals were. */
    public record Summary(NoveltyTableHeader header, long rows, long proposals, long rejected, double seconds) {
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : Double.NaN;
        }

        /** Share of the main source's proposals that were valid, novel and distinct. */
        public double validRate() {
            return proposals == 0 ? 1.0 : 1.0 - (double) rejected / proposals;
        }
    }

    private NoveltyPrecompute() {
    }

    public static Summary run(Path out, ClusterSet clusters, int k, int topN, NoveltySource main,
                              NoveltySource fallback, Shard shard, LongConsumer progress) throws IOException {
        return run(out, clusters, k, topN, main, fallback, shard, 1, progress);
    }

    /**
     * Computes rows {@code shard} of the table with {@code threads} workers (the sources must be thread-safe) and
     * writes them to {@code out}. The file does not depend on the thread count.
     */
    public static Summary run(Path out, ClusterSet clusters, int k, int topN, NoveltySource main,
                              NoveltySource fallback, Shard shard, int threads, LongConsumer progress)
            throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        HistoryRows rows = new HistoryRows(clusters.clusterCount(), k);
        long start = shard.start(rows.totalRows());
        long end = shard.end(rows.totalRows());
        AtomicLong proposals = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        int clusterCount = clusters.clusterCount();
        // Main rows of a range go to the source as one batch (an LLM answers a batch per process start).
        RangeCompute compute = (from, size) -> {
            int[][] result = new int[size][];
            List<int[]> mainHistories = new ArrayList<>();
            List<Integer> mainAt = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int[] history = rows.historyOf(from + i);
                if (history.length < k) {
                    result[i] = clean(fallback.novelClusters(history, topN), history, topN, clusterCount, null);
                } else {
                    mainHistories.add(history);
                    mainAt.add(i);
                }
            }
            int[][] proposed = mainHistories.isEmpty() ? new int[0][] : main.novelClusters(mainHistories, topN);
            for (int j = 0; j < proposed.length; j++) {
                int[] history = mainHistories.get(j);
                proposals.addAndGet(proposed[j].length);
                int[] cleaned = clean(proposed[j], history, topN, clusterCount, rejected);
                if (cleaned.length < Math.min(topN, clusterCount - k)) {
                    cleaned = topUp(cleaned, fallback.novelClusters(history, topN), history, topN, clusterCount);
                }
                result[mainAt.get(j)] = cleaned;
            }
            return result;
        };
        long begin = System.nanoTime();
        NoveltyTableHeader header;
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        try {
            BlockedRows blocks = new BlockedRows(compute, end, threads, pool, progress, start);
            header = NoveltyTableWriter.write(out, clusterCount, k, topN, clusters.fingerprint(), start, end, blocks::row);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Summary(header, end - start, proposals.get(), rejected.get(), seconds);
    }

    /** Rows {@code [from, from + size)} of the table. */
    private interface RangeCompute {
        int[][] rows(long from, int size);
    }

    /** Serves rows in order to the writer, computing them a block at a time, the block split over the workers. */
    private static final class BlockedRows {
        private static final int BLOCK = 8192;
        private final RangeCompute compute;
        private final long end;
        private final int threads;
        private final ExecutorService pool;
        private final LongConsumer progress;
        private final long first;
        private final long reportEvery;
        private long blockStart = -1;
        private int[][] block = new int[0][];

        BlockedRows(RangeCompute compute, long end, int threads, ExecutorService pool, LongConsumer progress,
                    long first) {
            this.compute = compute;
            this.end = end;
            this.threads = threads;
            this.pool = pool;
            this.progress = progress;
            this.first = first;
            this.reportEvery = Math.max(BLOCK, (end - first) / 10 / BLOCK * BLOCK);
        }

        int[] row(long row) {
            if (blockStart < 0 || row >= blockStart + block.length) {
                fill(row);
            }
            return block[(int) (row - blockStart)];
        }

        private void fill(long from) {
            int size = (int) Math.min(BLOCK, end - from);
            int[][] next;
            if (pool == null) {
                next = compute.rows(from, size);
            } else {
                int[][] filled = new int[size][];
                next = filled;
                List<Future<?>> parts = new ArrayList<>(threads);
                int per = (size + threads - 1) / threads;
                for (int t = 0; t < threads; t++) {
                    int lo = t * per;
                    int hi = Math.min(size, lo + per);
                    if (lo >= hi) {
                        continue;
                    }
                    parts.add(pool.submit(() -> System.arraycopy(compute.rows(from + lo, hi - lo), 0, filled, lo, hi - lo)));
                }
                for (Future<?> part : parts) {
                    try {
                        part.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("precompute interrupted", e);
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (progress != null && (from - first) % reportEvery == 0) {
                progress.accept(from - first);
            }
            blockStart = from;
            block = next;
        }
    }

    /** Keeps valid, novel, distinct ids in order, at most {@code n}; counts the dropped ones. */
    static int[] clean(int[] proposed, int[] history, int n, int clusterCount, AtomicLong rejected) {
        int[] result = new int[Math.min(n, proposed.length)];
        int count = 0;
        for (int c : proposed) {
            boolean ok = c >= 0 && c < clusterCount && !contains(history, history.length, c) && !contains(result, count, c);
            if (!ok) {
                if (rejected != null) {
                    rejected.incrementAndGet();
                }
            } else if (count < result.length) {
                result[count++] = c;
            }
        }
        return java.util.Arrays.copyOf(result, count);
    }

    static int[] topUp(int[] row, int[] extra, int[] history, int n, int clusterCount) {
        int[] merged = java.util.Arrays.copyOf(row, row.length + extra.length);
        System.arraycopy(extra, 0, merged, row.length, extra.length);
        return clean(merged, history, n, clusterCount, null);
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
