package io.serendip.ml.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrincipalComponentsTest {

    /** Rows = 5 + 3a * u + 1b * v + 0.1 noise in 8 dimensions, a, b standard normal, u and v orthonormal. */
    @Test
    void recoversTheDirectionsOfLargestVarianceInOrder() {
        int rows = 2000;
        int dim = 8;
        double[] u = {0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0};
        double[] v = {0, 0, 0, 0, 0.5, -0.5, 0.5, -0.5};
        Random random = new Random(1);
        float[] data = new float[rows * dim];
        double[] a = new double[rows];
        double[] b = new double[rows];
        for (int r = 0; r < rows; r++) {
            a[r] = random.nextGaussian();
            b[r] = random.nextGaussian();
            for (int d = 0; d < dim; d++) {
                data[r * dim + d] = (float) (5 + 3 * a[r] * u[d] + b[r] * v[d] + 0.1 * random.nextGaussian());
            }
        }
        PrincipalComponents.Projection p = PrincipalComponents.project(data, rows, dim, 2, 7);
        assertThat(p.dimension()).isEqualTo(2);
        assertThat(p.vectors()).hasSize(rows * 2);
        // variances 9, 1 and 8 x 0.01 of noise: the two components keep (9 + 1 + 0.02) / (10 + 0.08)
        assertThat(p.explainedVariance()).isCloseTo(10.02 / 10.08, within(0.005));
        assertThat(Math.abs(correlation(p.vectors(), 0, 2, a))).isGreaterThan(0.99);
        assertThat(Math.abs(correlation(p.vectors(), 1, 2, b))).isGreaterThan(0.99);
    }

    @Test
    void refusesShapesThatDoNotFit() {
        assertThatThrownBy(() -> PrincipalComponents.project(new float[10], 3, 4, 2, 1))
                .hasMessageContaining("expected 3 x 4 values");
        assertThatThrownBy(() -> PrincipalComponents.project(new float[12], 3, 4, 5, 1))
                .hasMessageContaining("outDimension must be in 1..4");
    }

    private static double correlation(float[] projected, int column, int width, double[] truth) {
        int n = truth.length;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int r = 0; r < n; r++) {
            double x = projected[r * width + column];
            double y = truth[r];
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        double cov = sxy / n - sx / n * sy / n;
        return cov / Math.sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
    }
}
