package io.serendip.ml.recommender;

/**
 * Dot products in plain Java: four partial sums over interleaved lanes, added at the end. Why: Java may not reorder
 * float additions, so a single running sum makes every add wait for the previous one (about 4 cycles each, 64 in a
 * row for d = 64); four independent chains let the CPU overlap them.
 */
final class ScalarDotKernel extends DotKernel {
    @Override
    float dot(float[] state, float[] values, int offset) {
        int dimension = state.length;
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

    @Override
    String description() {
        return "scalar";
    }
}
