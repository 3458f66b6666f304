package io.serendip.ml.recommender;

/**
 * The item side of a {@link SequenceRecommender}: one vector per item, row-major {@code [itemCount, d]}. A user
 * state scores an item by the dot product, so scoring a candidate subset costs O(|candidates|·d). Immutable.
 */
final class ItemVectors {

    private final int itemCount;
    private final int dimension;
    private final float[] values;

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
        for (int item = 0; item < itemCount; item++) {
            scores[item] = dot(userState, item);
        }
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
            scores[i] = dot(userState, item);
        }
        return scores;
    }

    private float dot(float[] state, int item) {
        return dot(state, values, item * dimension, dimension);
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
        return new Grouped(rows, offsets, dimension);
    }

    private record Grouped(float[] rows, int[] offsets, int dimension) implements GroupScorer {
        @Override
        public int groupCount() {
            return offsets.length - 1;
        }

        @Override
        public float[] scoreGroup(float[] userState, int group) {
            checkState(userState, dimension);
            int first = offsets[group];
            float[] scores = new float[offsets[group + 1] - first];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = dot(userState, rows, (first + i) * dimension, dimension);
            }
            return scores;
        }
    }

    /**
     * Four partial sums over interleaved lanes, added at the end. Why: Java may not reorder float additions, so a
     * single running sum makes every add wait for the previous one (about 4 cycles each, 64 in a row for d = 64);
     * four independent chains let the CPU overlap them. The result differs from a sequential sum only in
     * rounding (as any BLAS's order does).
     */
    static float dot(float[] state, float[] values, int offset, int dimension) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int k = 0;
        for (int end = dimension - 3; k < end; k += 4) {
            s0 += state[k] * values[offset + k];
            s1 += state[k + 1] * values[offset + k + 1];
            s2 += state[k + 2] * values[offset + k + 2];
            s3 += state[k + 3] * values[offset + k + 3];
        }
        for (; k < dimension; k++) {
            s0 += state[k] * values[offset + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void checkState(float[] userState, int dimension) {
        if (userState.length != dimension) {
            throw new IllegalArgumentException("userState has length " + userState.length + ", expected " + dimension);
        }
    }
}
