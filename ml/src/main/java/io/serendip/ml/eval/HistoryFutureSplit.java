package io.serendip.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chronological split for novel-interest evaluation: each sequence's first {@code historyFraction} of items is the
 * history the novelty sources see (and learn from), the rest is the "later history" in which a predicted novel
 * cluster counts as found. Sequences with fewer than {@code minLength} items are skipped.
 */
public record HistoryFutureSplit(List<int[]> histories, List<int[]> futures) {
    public static final double DEFAULT_HISTORY_FRACTION = 0.8;
    public static final int DEFAULT_MIN_LENGTH = 5;

    public static HistoryFutureSplit of(List<int[]> sequences, double historyFraction, int minLength) {
        if (historyFraction <= 0 || historyFraction >= 1) {
            throw new IllegalArgumentException("historyFraction must be in (0, 1), got " + historyFraction);
        }
        List<int[]> histories = new ArrayList<>();
        List<int[]> futures = new ArrayList<>();
        for (int[] sequence : sequences) {
            if (sequence.length < Math.max(minLength, 3)) {
                continue;
            }
            int cut = Math.max(2, Math.min(sequence.length - 1, (int) Math.round(sequence.length * historyFraction)));
            histories.add(Arrays.copyOf(sequence, cut));
            futures.add(Arrays.copyOfRange(sequence, cut, sequence.length));
        }
        return new HistoryFutureSplit(List.copyOf(histories), List.copyOf(futures));
    }

    public int size() {
        return histories.size();
    }
}
