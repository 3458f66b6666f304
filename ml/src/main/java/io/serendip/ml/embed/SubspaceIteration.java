package io.serendip.ml.embed;

import java.util.Random;

/**
 * Top eigenvectors of a symmetric linear operator by seeded subspace iteration with Gram-Schmidt
 * re-orthonormalisation: enough for the few leading directions the embedders need, without a dense
 * eigen-decomposition library.
 */
public final class SubspaceIteration {

    /** A symmetric matrix, given only by its product with a vector. */
    public interface SymmetricOperator {
        int size();

        void multiply(double[] x, double[] out);
    }

    /** Unit eigenvectors ({@code vectors[d]} has {@code size()} entries) and their Rayleigh quotients. */
    public record Eigen(double[][] vectors, double[] values) {
    }

    private SubspaceIteration() {
    }

    public static Eigen top(SymmetricOperator operator, int dimension, int iterations, long seed) {
        int n = operator.size();
        if (dimension < 1 || dimension > n) {
            throw new IllegalArgumentException("dimension must be in 1.." + n + ", got " + dimension);
        }
        Random random = new Random(seed);
        double[][] basis = new double[dimension][n];
        for (double[] vector : basis) {
            for (int i = 0; i < n; i++) {
                vector[i] = random.nextGaussian();
            }
        }
        orthonormalize(basis);
        double[] scratch = new double[n];
        double[] values = new double[dimension];
        for (int iteration = 0; iteration < iterations; iteration++) {
            for (int d = 0; d < dimension; d++) {
                operator.multiply(basis[d], scratch);
                values[d] = dot(basis[d], scratch);
                System.arraycopy(scratch, 0, basis[d], 0, n);
            }
            orthonormalize(basis);
        }
        return new Eigen(basis, values);
    }

    /**
     * Gram-Schmidt, twice per vector (once is not enough when a vector is nearly in the span of the ones before
     * it). A vector that vanishes against the ones before it (the operator's null space: fewer non-zero
     * eigenvalues than asked for) restarts from a fixed pseudo-random vector, so the basis stays orthonormal.
     */
    private static void orthonormalize(double[][] basis) {
        for (int d = 0; d < basis.length; d++) {
            double before = Math.sqrt(dot(basis[d], basis[d]));
            project(basis, d);
            project(basis, d);
            double norm = Math.sqrt(dot(basis[d], basis[d]));
            for (int restart = 0; norm <= 1e-9 * Math.max(before, 1e-300) && restart < 3; restart++) {
                Random random = new Random(31L * d + restart);
                for (int i = 0; i < basis[d].length; i++) {
                    basis[d][i] = random.nextGaussian();
                }
                before = Math.sqrt(dot(basis[d], basis[d]));
                project(basis, d);
                project(basis, d);
                norm = Math.sqrt(dot(basis[d], basis[d]));
            }
            for (int i = 0; i < basis[d].length; i++) {
                basis[d][i] /= norm;
            }
        }
    }

    /** Removes from {@code basis[d]} its components along {@code basis[0..d-1]}. */
    private static void project(double[][] basis, int d) {
        for (int e = 0; e < d; e++) {
            double projection = dot(basis[d], basis[e]);
            for (int i = 0; i < basis[d].length; i++) {
                basis[d][i] -= projection * basis[e][i];
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
