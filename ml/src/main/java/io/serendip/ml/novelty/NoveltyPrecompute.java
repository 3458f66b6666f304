package io.serendip.ml.novelty;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.HistoryRows;
import io.serendip.ml.artifact.NoveltyTableHeader;
import io.serendip.ml.artifact.NoveltyTableWriter;
import java.io.IOException;
import java.nio.file.Path;
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
        HistoryRows rows = new HistoryRows(clusters.clusterCount(), k);
        long start = shard.start(rows.totalRows());
        long end = shard.end(rows.totalRows());
        AtomicLong proposals = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        long begin = System.nanoTime();
        long reportEvery = Math.max(1, (end - start) / 10);
        NoveltyTableHeader header = NoveltyTableWriter.write(out, clusters.clusterCount(), k, topN,
                clusters.fingerprint(), start, end, row -> {
                    if (progress != null && (row - start) % reportEvery == 0) {
                        progress.accept(row - start);
                    }
                    int[] history = rows.historyOf(row);
                    if (history.length < k) {
                        return clean(fallback.novelClusters(history, topN), history, topN, clusters.clusterCount(), null);
                    }
                    int[] proposed = main.novelClusters(history, topN);
                    proposals.addAndGet(proposed.length);
                    int[] row0 = clean(proposed, history, topN, clusters.clusterCount(), rejected);
                    if (row0.length < Math.min(topN, clusters.clusterCount() - k)) {
                        row0 = topUp(row0, fallback.novelClusters(history, topN), history, topN, clusters.clusterCount());
                    }
                    return row0;
                });
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Summary(header, end - start, proposals.get(), rejected.get(), seconds);
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
