package io.serendip.runtime.recommender;

import java.util.List;

/**
 * A computed slate.
 *
 * @param entries          the slate, in display order
 * @param historyClusters  the user's last distinct clusters used for the novelty lookup (oldest first)
 * @param novelClusters    the novel clusters the novelty table returned
 * @param fallback         true when the user had fewer distinct clusters than the table's history length,
 *                         so the table's crowd-level fallback row was used
 * @param userClusters     every cluster of the user's history (for the {@code novel} flag)
 */
public record Recommendation(List<SlateBuilder.Entry> entries, int[] historyClusters, int[] novelClusters,
                             boolean fallback, java.util.BitSet userClusters) {
}
