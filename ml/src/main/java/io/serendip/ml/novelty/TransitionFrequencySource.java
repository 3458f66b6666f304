package io.serendip.ml.novelty;

import io.serendip.ml.artifact.HistoryRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Crowd-level novelty baseline: the clusters that most often followed the same history of distinct clusters.
 * Backs off from the full history to shorter suffixes (the last cluster alone, then the empty history = globally
 * most frequent transition targets), and finally to cluster id order, so it always fills {@code n} slots when
 * enough clusters exist. Counts come from curated windows of distinct clusters ({@link TransitionCurator}).
 */
public final class TransitionFrequencySource implements NoveltySource {
    private final int clusterCount;
    private final int maxContext;
    private final HistoryRows rows;
    /** Per context length j: context row -> next clusters by count (descending), ties by global order. */
    private final List<Map<Long, int[]>> ranked;
    private final int[] globalOrder;
    /** Full-length context row -> transitions observed after it. */
    private final Map<Long, Integer> observed;

    private TransitionFrequencySource(int clusterCount, int maxContext, List<Map<Long, int[]>> ranked, int[] globalOrder,
                                      Map<Long, Integer> observed) {
        this.clusterCount = clusterCount;
        this.maxContext = maxContext;
        this.rows = new HistoryRows(clusterCount, maxContext);
        this.ranked = ranked;
        this.globalOrder = globalOrder;
        this.observed = observed;
    }

    /** Learns from cluster sequences (consecutive repeats already collapsed), for contexts of up to {@code k}. */
    public static TransitionFrequencySource fit(List<int[]> clusterSequences, int clusterCount, int k) {
        HistoryRows rows = new HistoryRows(clusterCount, k);
        List<Map<Long, Map<Integer, Integer>>> counts = new ArrayList<>();
        for (int j = 0; j <= k; j++) {
            counts.add(new HashMap<>());
        }
        long[] targetCounts = new long[clusterCount];
        for (int[] sequence : clusterSequences) {
            for (int end = 1; end < sequence.length; end++) {
                int target = sequence[end];
                targetCounts[target]++;
                for (int j = 0; j <= Math.min(k, end); j++) {
                    int[] window = Arrays.copyOfRange(sequence, end - j, end + 1);
                    if (!TransitionCurator.allDistinct(window)) {
                        break; // longer windows contain this repeat too
                    }
                    long context = rows.rowOf(Arrays.copyOf(window, j));
                    counts.get(j).computeIfAbsent(context, c -> new HashMap<>()).merge(target, 1, Integer::sum);
                }
            }
        }
        Integer[] order = new Integer[clusterCount];
        Arrays.setAll(order, c -> c);
        Arrays.sort(order, (a, b) -> targetCounts[a] != targetCounts[b] ? Long.compare(targetCounts[b], targetCounts[a])
                : Integer.compare(a, b));
        int[] globalOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        int[] globalRank = new int[clusterCount];
        for (int r = 0; r < clusterCount; r++) {
            globalRank[globalOrder[r]] = r;
        }
        List<Map<Long, int[]>> ranked = new ArrayList<>();
        for (int j = 0; j <= k; j++) {
            Map<Long, int[]> byContext = new HashMap<>();
            counts.get(j).forEach((context, next) -> {
                Integer[] targets = next.keySet().toArray(Integer[]::new);
                Arrays.sort(targets, (a, b) -> !next.get(a).equals(next.get(b)) ? next.get(b) - next.get(a)
                        : globalRank[a] - globalRank[b]);
                byContext.put(context, Arrays.stream(targets).mapToInt(Integer::intValue).toArray());
            });
            ranked.add(byContext);
        }
        Map<Long, Integer> observed = new HashMap<>();
        counts.get(k).forEach((context, next) -> observed.put(context,
                next.values().stream().mapToInt(Integer::intValue).sum()));
        return new TransitionFrequencySource(clusterCount, k, ranked, globalOrder, observed);
    }

    /**
     * How many transitions were counted after exactly this history of {@code k} distinct clusters (0 for a shorter
     * history, which the counts answer only by backing off): how much the first ranking rests on.
     */
    public int observations(int[] history) {
        if (history.length < maxContext) {
            return 0;
        }
        int[] context = Arrays.copyOfRange(history, history.length - maxContext, history.length);
        return observed.getOrDefault(rows.rowOf(context), 0);
    }

    @Override
    public int[] novelClusters(int[] history, int n) {
        int[] result = new int[Math.min(n, clusterCount)];
        int count = 0;
        int j = Math.min(history.length, maxContext);
        int[] context = Arrays.copyOfRange(history, history.length - j, history.length);
        for (; j >= 0 && count < result.length; j--) {
            int[] suffix = Arrays.copyOfRange(context, context.length - j, context.length);
            int[] candidates = ranked.get(j).get(rows.rowOf(suffix));
            if (candidates != null) {
                count = append(candidates, history, result, count);
            }
        }
        if (count < result.length) {
            count = append(globalOrder, history, result, count);
        }
        return count == result.length ? result : Arrays.copyOf(result, count);
    }

    private static int append(int[] candidates, int[] history, int[] result, int count) {
        for (int c : candidates) {
            if (count == result.length) {
                break;
            }
            if (!contains(history, history.length, c) && !contains(result, count, c)) {
                result[count++] = c;
            }
        }
        return count;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return "transition-frequency";
    }
}
