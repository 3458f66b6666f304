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

    /** Short name for reports. */
    String name();
}
