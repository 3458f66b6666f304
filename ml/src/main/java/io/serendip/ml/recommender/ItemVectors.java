package io.serendip.ml.recommender;

/**
 * The item side of a {@link SequenceRecommender}: one vector per item, row-major {@code [itemCount, d]}. A user
 * state scores an item by the dot product, so scoring a candidate subset costs O(|candidates|·d). Immutable.
 */
final class ItemVectors {

    private final int itemCount;
    private final int dimension;
    private final float[] values;
    private final DotKernel kernel = DotKernel.active();

    /** {@code values} holds item i at {@code [i*d, (i+1)*d)}; it is not copied. */
    ItemVectors(int itemCount, int dimension, float[] values) {
        if (itemCount < 1 || dimension < 1 || values.length != (long) itemCount * dimension) {
            throw new IllegalArgumentException("expected " + itemCount + " x " + dimension + " values, got " + values.length);
        }
        this.itemCount = itemCount;
        this.dimension = dimension;
        this.values = values;
    }

    int itemCount() {
        return itemCount;
    }

    int dimension() {
        return dimension;
    }

    float[] scoreAll(float[] userState) {
        checkState(userState, dimension);
        float[] scores = new float[itemCount];
        kernel.dotRows(userState, values, 0, itemCount, scores);
        return scores;
    }

    float[] scoreCandidates(float[] userState, int[] candidates) {
        checkState(userState, dimension);
        float[] scores = new float[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            int item = candidates[i];
            if (item < 0 || item >= itemCount) {
                throw new IllegalArgumentException("candidates[" + i + "] = " + item + " is outside 0.." + (itemCount - 1));
            }
            scores[i] = kernel.dot(userState, values, item * dimension);
        }
        return scores;
    }

    /**
     * The item vectors of each group copied into one contiguous block per group.
     *
     * @throws IllegalArgumentException for an item index outside {@code 0..itemCount()-1}
     */
    GroupScorer grouped(int[][] groups) {
        int total = 0;
        for (int[] group : groups) {
            total += group.length;
        }
        float[] rows = new float[Math.multiplyExact(total, dimension)];
        int[] offsets = new int[groups.length + 1];
        int row = 0;
        for (int g = 0; g < groups.length; g++) {
            offsets[g] = row;
            for (int i = 0; i < groups[g].length; i++) {
                int item = groups[g][i];
                if (item < 0 || item >= itemCount) {
                    throw new IllegalArgumentException("group " + g + " item " + item + " is outside 0.." + (itemCount - 1));
                }
                System.arraycopy(values, item * dimension, rows, row * dimension, dimension);
                row++;
            }
        }
        offsets[groups.length] = row;
        return new Grouped(rows, offsets, dimension, kernel);
    }

    private record Grouped(float[] rows, int[] offsets, int dimension, DotKernel kernel) implements GroupScorer {
        @Override
        public int groupCount() {
            return offsets.length - 1;
        }

        @Override
        public float[] scoreGroup(float[] userState, int group) {
            checkState(userState, dimension);
            int first = offsets[group];
            float[] scores = new float[offsets[group + 1] - first];
            kernel.dotRows(userState, rows, first, scores.length, scores);
            return scores;
        }
    }

    private static void checkState(float[] userState, int dimension) {
        if (userState.length != dimension) {
            throw new IllegalArgumentException("userState has length " + userState.length + ", expected " + dimension);
        }
    }
}
