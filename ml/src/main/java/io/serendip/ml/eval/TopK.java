package io.serendip.ml.eval;

import java.util.PriorityQueue;

/** Highest-scored items, best first, skipping excluded ones; ties go to the lower index. */
public final class TopK {
    private TopK() {
    }

    public static int[] indices(float[] scores, int k, boolean[] excluded) {
        // Min-heap of the best k so far: the root is the weakest kept item.
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1,
                (a, b) -> scores[a] != scores[b] ? Float.compare(scores[a], scores[b]) : Integer.compare(b, a));
        for (int i = 0; i < scores.length; i++) {
            if (excluded != null && excluded[i]) {
                continue;
            }
            if (heap.size() < k) {
                heap.add(i);
            } else if (k > 0 && (scores[i] > scores[heap.peek()])) {
                heap.poll();
                heap.add(i);
            }
        }
        int[] result = new int[heap.size()];
        for (int i = result.length - 1; i >= 0; i--) {
            result[i] = heap.poll();
        }
        return result;
    }

    /** Convenience: exclusion given as an index list. */
    public static int[] indices(float[] scores, int k, int[] excluded) {
        boolean[] mask = new boolean[scores.length];
        for (int item : excluded) {
            mask[item] = true;
        }
        return indices(scores, k, mask);
    }
}
