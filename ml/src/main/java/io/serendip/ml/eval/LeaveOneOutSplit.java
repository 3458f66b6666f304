package io.serendip.ml.eval;

import io.serendip.ml.data.PositiveSequences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leave-one-out split of positive-engagement sequences, the protocol of the accuracy evaluation: for every user
 * with at least {@code minLength} items the last item is the test target, the one before it the validation
 * target, the rest is training. Shorter sequences are used for training only.
 */
public final class LeaveOneOutSplit {
    public static final int DEFAULT_MIN_LENGTH = 3;

    /**
     * One evaluated user.
     *
     * @param user       position of the user in the source sequences
     * @param train      training prefix (chronological)
     * @param validTarget the item held out for validation
     * @param testTarget the item held out for testing
     */
    public record UserSplit(int user, int[] train, int validTarget, int testTarget) {
        /** Input for predicting the validation target: the training prefix. */
        public int[] validHistory() {
            return train;
        }

        /** Input for predicting the test target: training prefix plus the validation item. */
        public int[] testHistory() {
            int[] history = Arrays.copyOf(train, train.length + 1);
            history[train.length] = validTarget;
            return history;
        }
    }

    private final int itemCount;
    private final List<UserSplit> users;
    private final List<int[]> trainOnly;

    private LeaveOneOutSplit(int itemCount, List<UserSplit> users, List<int[]> trainOnly) {
        this.itemCount = itemCount;
        this.users = List.copyOf(users);
        this.trainOnly = List.copyOf(trainOnly);
    }

    public static LeaveOneOutSplit of(PositiveSequences sequences, int itemCount) {
        return of(sequences.sequences(), itemCount, DEFAULT_MIN_LENGTH);
    }

    public static LeaveOneOutSplit of(List<int[]> sequences, int itemCount, int minLength) {
        if (minLength < 3) {
            throw new IllegalArgumentException("minLength must be >= 3 (train, validation and test items)");
        }
        List<UserSplit> users = new ArrayList<>();
        List<int[]> trainOnly = new ArrayList<>();
        for (int u = 0; u < sequences.size(); u++) {
            int[] sequence = sequences.get(u);
            if (sequence.length >= minLength) {
                int n = sequence.length;
                users.add(new UserSplit(u, Arrays.copyOf(sequence, n - 2), sequence[n - 2], sequence[n - 1]));
            } else if (sequence.length > 0) {
                trainOnly.add(sequence);
            }
        }
        return new LeaveOneOutSplit(itemCount, users, trainOnly);
    }

    public int itemCount() {
        return itemCount;
    }

    /** Users that have validation and test targets. */
    public List<UserSplit> users() {
        return users;
    }

    /** Sequences to learn from when validating: training prefixes plus the short sequences. */
    public List<int[]> trainingSequences() {
        List<int[]> result = new ArrayList<>(users.size() + trainOnly.size());
        users.forEach(u -> result.add(u.train()));
        result.addAll(trainOnly);
        return result;
    }

    /** Sequences to learn from for the final test: training prefixes with the validation item, plus short ones. */
    public List<int[]> trainingSequencesWithValidation() {
        List<int[]> result = new ArrayList<>(users.size() + trainOnly.size());
        users.forEach(u -> result.add(u.testHistory()));
        result.addAll(trainOnly);
        return result;
    }
}
