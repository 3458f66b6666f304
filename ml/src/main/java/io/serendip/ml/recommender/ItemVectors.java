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
        checkState(userState);
        float[] scores = new float[itemCount];
        for (int item = 0; item < itemCount; item++) {
            scores[item] = dot(userState, item);
        }
        return scores;
    }

    float[] scoreCandidates(float[] userState, int[] candidates) {
        checkState(userState);
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

    /**
     * Four partial sums over interleaved lanes, added at the end. Why: Java may not reorder float additions, so a
     * single running sum makes every add wait for the previous one (about 4 cycles each, 64 in a row for d = 64);
     * four independent chains let the CPU overlap them. The result differs from a sequential sum only in
     * rounding (as any BLAS's order does).
     */
    private float dot(float[] state, int item) {
        int offset = item * dimension;
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

    private void checkState(float[] userState) {
        if (userState.length != dimension) {
            throw new IllegalArgumentException("userState has length " + userState.length + ", expected " + dimension);
        }
    }
}
