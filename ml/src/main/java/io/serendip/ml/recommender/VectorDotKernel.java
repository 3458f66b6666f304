package io.serendip.ml.recommender;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products on the CPU's widest float vectors (16 lanes with AVX-512, 8 with AVX2) through the JDK's Vector API:
 * fused multiply-adds into two vector accumulators, so that consecutive ones do not wait on each other, then one
 * sum across the lanes; leftover elements in scalar Java. Loaded only when the JVM has {@code jdk.incubator.vector}.
 */
final class VectorDotKernel extends DotKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    float dot(float[] state, float[] values, int offset) {
        int dimension = state.length;
        int lanes = SPECIES.length();
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int k = 0;
        for (int end = dimension - 2 * lanes; k <= end; k += 2 * lanes) {
            acc0 = FloatVector.fromArray(SPECIES, state, k).fma(FloatVector.fromArray(SPECIES, values, offset + k), acc0);
            acc1 = FloatVector.fromArray(SPECIES, state, k + lanes)
                    .fma(FloatVector.fromArray(SPECIES, values, offset + k + lanes), acc1);
        }
        if (k <= dimension - lanes) {
            acc0 = FloatVector.fromArray(SPECIES, state, k).fma(FloatVector.fromArray(SPECIES, values, offset + k), acc0);
            k += lanes;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; k < dimension; k++) {
            sum += state[k] * values[offset + k];
        }
        return sum;
    }

    @Override
    String description() {
        return "vector, " + SPECIES.length() + " lanes";
    }
}
