package io.serendip.ml.artifact;

import java.util.Arrays;

/**
 * Pure row addressing of a novelty table for {@code C} clusters and history length {@code k}.
 *
 * <p>The table has one section per history length {@code j = 0..k}; section {@code j} holds one row for
 * every ordered tuple of {@code j} distinct clusters ({@code P(C, j) = C!/(C-j)!} rows), ranked in
 * lexicographic order of the tuple. Section {@code k} is the main table; sections {@code 0..k-1} are the
 * fallback rows for users with fewer than {@code k} distinct clusters.
 */
public final class HistoryRows {
    /** Section k alone has C!/(C-k)! >= k! rows, and 21! overflows a long. */
    private static final int MAX_HISTORY_LENGTH = 20;

    private final int clusterCount;
    private final int historyLength;
    private final long[] sectionStart;

    public HistoryRows(int clusterCount, int historyLength) {
        if (clusterCount < 1) {
            throw new IllegalArgumentException("clusterCount must be >= 1, got " + clusterCount);
        }
        if (historyLength < 1 || historyLength > clusterCount) {
            throw new IllegalArgumentException("historyLength must be in 1.." + clusterCount + ", got " + historyLength);
        }
        if (historyLength > MAX_HISTORY_LENGTH) {
            throw new ArithmeticException("historyLength " + historyLength + ": the row count overflows a long");
        }
        this.clusterCount = clusterCount;
        this.historyLength = historyLength;
        this.sectionStart = new long[historyLength + 2];
        long permutations = 1;
        for (int j = 0; j <= historyLength; j++) {
            sectionStart[j + 1] = Math.addExact(sectionStart[j], permutations);
            permutations = Math.multiplyExact(permutations, (long) (clusterCount - j));
        }
    }

    public int clusterCount() {
        return clusterCount;
    }

    public int historyLength() {
        return historyLength;
    }

    /** Rows in all sections together. */
    public long totalRows() {
        return sectionStart[historyLength + 1];
    }

    /** First row of section {@code j}. */
    public long sectionStart(int j) {
        return sectionStart[j];
    }

    /**
     * Reduces a raw cluster history (oldest first, repeats allowed) to its last {@code k} distinct clusters,
     * oldest first. Throws {@link IllegalArgumentException} naming a cluster id outside the set.
     */
    public int[] lastDistinct(int[] history) {
        int[] picked = new int[historyLength];
        int count = 0;
        for (int i = history.length - 1; i >= 0 && count < historyLength; i--) {
            int cluster = history[i];
            if (cluster < 0 || cluster >= clusterCount) {
                throw new IllegalArgumentException("history cluster " + cluster + " outside 0.." + (clusterCount - 1));
            }
            boolean seen = false;
            for (int p = 0; p < count; p++) {
                seen |= picked[p] == cluster;
            }
            if (!seen) {
                picked[count++] = cluster;
            }
        }
        int[] result = new int[count];
        for (int i = 0; i < count; i++) {
            result[i] = picked[count - 1 - i];
        }
        return result;
    }

    /** Row of a history of {@code 0..k} distinct, valid clusters (oldest first). */
    public long rowOf(int[] distinctHistory) {
        int j = distinctHistory.length;
        if (j > historyLength) {
            throw new IllegalArgumentException("history of " + j + " clusters is longer than k = " + historyLength);
        }
        long rank = 0;
        for (int i = 0; i < j; i++) {
            int digit = distinctHistory[i];
            for (int m = 0; m < i; m++) {
                if (distinctHistory[m] < distinctHistory[i]) {
                    digit--;
                }
            }
            rank = rank * (clusterCount - i) + digit;
        }
        return sectionStart[j] + rank;
    }

    /** Inverse of {@link #rowOf}: the distinct history addressed by a row. */
    public int[] historyOf(long row) {
        if (row < 0 || row >= totalRows()) {
            throw new IllegalArgumentException("row " + row + " outside 0.." + (totalRows() - 1));
        }
        int j = 0;
        while (row >= sectionStart[j + 1]) {
            j++;
        }
        long rank = row - sectionStart[j];
        int[] digits = new int[j];
        for (int i = j - 1; i >= 0; i--) {
            long radix = clusterCount - i;
            digits[i] = (int) (rank % radix);
            rank /= radix;
        }
        int[] history = new int[j];
        int[] used = new int[j];
        for (int i = 0; i < j; i++) {
            int value = digits[i];
            int[] sortedUsed = Arrays.copyOf(used, i);
            Arrays.sort(sortedUsed);
            for (int u : sortedUsed) {
                if (u <= value) {
                    value++;
                }
            }
            history[i] = value;
            used[i] = value;
        }
        return history;
    }
}
