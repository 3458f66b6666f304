package io.serendip.runtime.recommender;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Pure slate assembly: top-k selection with exclusions, round-robin picking of exploration items
 * across novel clusters, and interleaving of exploration slots among exploitation items. Ties are
 * broken by the lower item index so identical input gives an identical slate.
 */
public final class SlateBuilder {
    private SlateBuilder() {
    }

    /** One slate entry; {@code cluster} is the novel cluster of an explored item, -1 for exploitation. */
    public record Entry(int item, float score, int cluster) {
        public boolean explored() {
            return cluster >= 0;
        }
    }

    /** Candidates of one novel cluster with their scores (parallel arrays). */
    public record ClusterCandidates(int cluster, int[] items, float[] scores) {
    }

    /**
     * The indices of the {@code k} highest scores, best first, skipping excluded indices. O(n log k).
     */
    public static int[] topK(float[] scores, int k, BitSet excluded) {
        return topK(null, scores, k, excluded);
    }

    /**
     * Top {@code k} of {@code items[i]} by {@code scores[i]} (or of index i when items is null), best
     * first, skipping excluded items. Returns item ids.
     */
    public static int[] topK(int[] items, float[] scores, int k, BitSet excluded) {
        if (k <= 0) {
            return new int[0];
        }
        // Min-heap of positions by (score, then higher item index is "worse").
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            int item = items == null ? i : items[i];
            if (excluded.get(item) || Float.isNaN(scores[i])) {
                continue;
            }
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, items, scores);
            } else if (better(i, heap[0], items, scores)) {
                heap[0] = i;
                siftDown(heap, size, items, scores);
            }
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = heap[i];
        }
        Arrays.sort(order, (a, b) -> better(a, b, items, scores) ? -1 : better(b, a, items, scores) ? 1 : 0);
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = items == null ? order[i] : items[order[i]];
        }
        return out;
    }

    private static boolean better(int a, int b, int[] items, float[] scores) {
        if (scores[a] != scores[b]) {
            return scores[a] > scores[b];
        }
        int ia = items == null ? a : items[a];
        int ib = items == null ? b : items[b];
        return ia < ib;
    }

    private static void siftUp(int[] heap, int i, int[] items, float[] scores) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(heap[parent], heap[i], items, scores)) {
                return;
            }
            swap(heap, i, parent);
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, int[] items, float[] scores) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            int right = left + 1;
            int worst = i;
            if (left < size && better(heap[worst], heap[left], items, scores)) {
                worst = left;
            }
            if (right < size && better(heap[worst], heap[right], items, scores)) {
                worst = right;
            }
            if (worst == i) {
                return;
            }
            swap(heap, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /**
     * Picks up to {@code slots} exploration items: the best item of each novel cluster in cluster
     * order, then the second best of each, and so on. Excluded and already-picked items are skipped.
     */
    public static List<Entry> pickExploration(List<ClusterCandidates> clusters, int slots, BitSet excluded) {
        List<Entry> picked = new ArrayList<>();
        if (slots <= 0 || clusters.isEmpty()) {
            return picked;
        }
        BitSet taken = (BitSet) excluded.clone();
        List<int[]> ranked = new ArrayList<>();
        for (ClusterCandidates c : clusters) {
            ranked.add(topK(c.items(), c.scores(), Math.min(slots, c.items().length), excluded));
        }
        int[] cursor = new int[clusters.size()];
        boolean progress = true;
        while (picked.size() < slots && progress) {
            progress = false;
            for (int c = 0; c < clusters.size() && picked.size() < slots; c++) {
                int[] items = ranked.get(c);
                while (cursor[c] < items.length && taken.get(items[cursor[c]])) {
                    cursor[c]++;
                }
                if (cursor[c] < items.length) {
                    int item = items[cursor[c]++];
                    taken.set(item);
                    picked.add(new Entry(item, scoreOf(clusters.get(c), item), clusters.get(c).cluster()));
                    progress = true;
                }
            }
        }
        return picked;
    }

    private static float scoreOf(ClusterCandidates c, int item) {
        for (int i = 0; i < c.items().length; i++) {
            if (c.items()[i] == item) {
                return c.scores()[i];
            }
        }
        throw new IllegalArgumentException("item " + item + " is not a candidate of cluster " + c.cluster());
    }

    /** Positions (0-based) of {@code slots} exploration entries spread evenly over a slate of {@code k}. */
    public static int[] explorationPositions(int k, int slots) {
        int n = Math.min(Math.max(slots, 0), k);
        int[] positions = new int[n];
        for (int j = 0; j < n; j++) {
            positions[j] = (int) ((long) (j + 1) * k / (n + 1));
        }
        return positions;
    }

    /**
     * Merges exploitation entries (best first) and exploration entries into a slate of at most k:
     * exploration entries take the evenly spread positions; missing entries of either kind are
     * filled by the other. Items appear once.
     */
    public static List<Entry> interleave(List<Entry> exploitation, List<Entry> exploration, int k) {
        int[] positions = explorationPositions(k, exploration.size());
        List<Entry> slate = new ArrayList<>(k);
        BitSet explorePosition = new BitSet(k);
        for (int p : positions) {
            explorePosition.set(p);
        }
        int e = 0;
        int x = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        while (slate.size() < k && (e < exploitation.size() || x < exploration.size())) {
            boolean wantExplore = explorePosition.get(slate.size()) && x < exploration.size() || e >= exploitation.size();
            Entry next = wantExplore ? exploration.get(x++) : exploitation.get(e++);
            if (seen.add(next.item())) {
                slate.add(next);
            }
        }
        return slate;
    }
}
