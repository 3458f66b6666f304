package io.serendip.ml.recommender;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The float dot products behind item scoring. Two implementations: the JDK's Vector API (SIMD lanes, several times
 * faster), used when the JVM runs with {@code --add-modules jdk.incubator.vector}, and plain Java otherwise, or when
 * {@value #SIMD_PROPERTY} is {@code false}. They differ only in the order of the float additions, so in rounding,
 * as two BLAS builds do; one JVM uses one kernel for every score, so a state's scores never mix the two.
 */
abstract class DotKernel {
    static final String SIMD_PROPERTY = "serendip.scoring.simd";
    private static final Logger LOG = LoggerFactory.getLogger(DotKernel.class);
    private static final DotKernel ACTIVE = choose(Boolean.parseBoolean(System.getProperty(SIMD_PROPERTY, "true")));

    /** The kernel this JVM scores with. */
    static DotKernel active() {
        return ACTIVE;
    }

    /** The dot product of {@code state} with {@code values[offset, offset + state.length)}. */
    abstract float dot(float[] state, float[] values, int offset);

    /** {@link #dot} of {@code state} with {@code count} consecutive rows of {@code state.length} values from row
     * {@code firstRow}, into {@code out[0, count)}. */
    void dotRows(float[] state, float[] rows, int firstRow, int count, float[] out) {
        int dimension = state.length;
        for (int i = 0; i < count; i++) {
            out[i] = dot(state, rows, (firstRow + i) * dimension);
        }
    }

    /** What runs, for logs: {@code "scalar"} or the vector shape, e.g. {@code "vector, 16 lanes"}. */
    abstract String description();

    /** The vector kernel when {@code simd} and the JVM has the Vector API, else the scalar one. */
    static DotKernel choose(boolean simd) {
        DotKernel kernel = new ScalarDotKernel();
        if (simd && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // By name, so that a JVM without the module never links the class that uses it.
                kernel = (DotKernel) Class.forName(DotKernel.class.getPackageName() + ".VectorDotKernel")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("the Vector API is present but its kernel failed to load; scoring in scalar Java", e);
            }
        }
        LOG.info("item scoring: {} dot products{}", kernel.description(), kernel instanceof ScalarDotKernel && simd
                ? " (run the JVM with --add-modules jdk.incubator.vector for SIMD)" : "");
        return kernel;
    }
}
