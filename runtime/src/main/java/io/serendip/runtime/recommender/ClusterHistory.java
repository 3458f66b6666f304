package io.serendip.runtime.recommender;

/** Pure helpers over a user's cluster history. */
public final class ClusterHistory {
    private ClusterHistory() {
    }

    /** The last {@code n} distinct values, oldest first (a repeat counts at its latest position). */
    public static int[] lastDistinct(int[] values, int n) {
        int[] picked = new int[Math.max(0, n)];
        int count = 0;
        for (int i = values.length - 1; i >= 0 && count < n; i--) {
            boolean repeat = false;
            for (int j = 0; j < count && !repeat; j++) {
                repeat = picked[j] == values[i];
            }
            if (!repeat) {
                picked[count++] = values[i];
            }
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = picked[count - 1 - i];
        }
        return out;
    }
}
