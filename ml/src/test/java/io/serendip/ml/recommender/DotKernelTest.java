package io.serendip.ml.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DotKernelTest {

    /** The build runs tests with the Vector API, as the runtime's JVMs run (see the root POM's surefire argLine). */
    @Test
    void jvmsWithTheVectorApiScoreWithItUnlessToldNotTo() {
        assertThat(DotKernel.active()).isInstanceOf(VectorDotKernel.class);
        assertThat(DotKernel.active().description()).matches("vector, \\d+ lanes");
        assertThat(DotKernel.choose(true)).isInstanceOf(VectorDotKernel.class);
        assertThat(DotKernel.choose(false)).isInstanceOf(ScalarDotKernel.class);
    }

    /** Every length around the vector widths (8, 16 lanes): whole vectors, an odd one left, scalar leftovers. */
    @Test
    void vectorAndScalarKernelsAgreeUpToFloatRounding() {
        DotKernel vector = DotKernel.choose(true);
        DotKernel scalar = DotKernel.choose(false);
        Random random = new Random(7);
        for (int dimension = 1; dimension <= 70; dimension++) {
            int rows = 5;
            float[] state = gaussian(random, dimension);
            float[] values = gaussian(random, 3 + rows * dimension); // an offset that is not a multiple of the lanes
            float[] vectorRows = new float[rows];
            float[] scalarRows = new float[rows];
            vector.dotRows(state, values, 0, rows, vectorRows);
            scalar.dotRows(state, values, 0, rows, scalarRows);
            for (int row = 0; row < rows; row++) {
                double exact = 0;
                double magnitude = 0;
                for (int k = 0; k < dimension; k++) {
                    exact += (double) state[k] * values[row * dimension + k];
                    magnitude += Math.abs((double) state[k] * values[row * dimension + k]);
                }
                double tolerance = 1e-6 * magnitude * dimension;
                assertThat((double) vectorRows[row]).as("d = %d, row %d", dimension, row).isCloseTo(exact, within(tolerance));
                assertThat((double) scalarRows[row]).as("d = %d, row %d", dimension, row).isCloseTo(exact, within(tolerance));
                assertThat(vector.dot(state, values, 3 + row * dimension)).isEqualTo(scalar.dot(state, values, 3 + row * dimension), within((float) tolerance));
            }
        }
    }

    /** Small integers add up exactly in any order, so both kernels must give the same floats, bit for bit. */
    @Test
    void exactSumsAreEqualBitForBit() {
        Random random = new Random(11);
        for (int dimension : new int[] {1, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100}) {
            float[] state = new float[dimension];
            float[] values = new float[dimension];
            long expected = 0;
            for (int k = 0; k < dimension; k++) {
                state[k] = random.nextInt(21) - 10;
                values[k] = random.nextInt(21) - 10;
                expected += (long) state[k] * (long) values[k];
            }
            assertThat(DotKernel.choose(true).dot(state, values, 0)).as("d = %d", dimension).isEqualTo((float) expected);
            assertThat(DotKernel.choose(false).dot(state, values, 0)).as("d = %d", dimension).isEqualTo((float) expected);
        }
    }

    private static float[] gaussian(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
