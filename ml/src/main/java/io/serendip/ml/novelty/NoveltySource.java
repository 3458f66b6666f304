package io.serendip.ml.novelty;

/**
 * Something that proposes novel interest clusters for a short cluster history: a transition-frequency baseline, a
 * random baseline, or a learned model. Implementations must be safe to call from several threads.
 */
public interface NoveltySource {
    /**
     * Up to {@code n} clusters, best first, for a history of distinct clusters (oldest first, possibly empty). The
     * result should hold distinct valid cluster ids outside the history; callers that need guarantees (the table
     * precompute, the evaluator) check and count violations rather than trust them.
     */
    int[] novelClusters(int[] history, int n);

    /**
     * The same for many histories at once. Sources whose cost is per call (an LLM process that loads a model, a
     * batched forward pass) answer a whole batch together; the default asks one history at a time.
     */
    default int[][] novelClusters(java.util.List<int[]> histories, int n) {
        int[][] result = new int[histories.size()][];
        for (int i = 0; i < result.length; i++) {
            result[i] = novelClusters(histories.get(i), n);
        }
        return result;
    }

    /** Short name for reports. */
    String name();
}
