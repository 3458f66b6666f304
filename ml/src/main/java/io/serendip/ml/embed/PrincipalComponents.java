package io.serendip.ml.embed;

/**
 * Principal component projection of row vectors: centred, then projected onto the top eigenvectors of
 * their covariance (e.g. 384-d sentence embeddings onto a recommender's 64-d hidden size).
 */
public final class PrincipalComponents {
    private static final int ITERATIONS = 50;

    /** {@code rows x dimension} projected values and the share of the total variance they keep. */
    public record Projection(float[] vectors, int rows, int dimension, double explainedVariance) {
    }

    private PrincipalComponents() {
    }

    /** Projects {@code rows} vectors of {@code inDimension} (row-major) onto their top {@code outDimension} components. */
    public static Projection project(float[] vectors, int rows, int inDimension, int outDimension, long seed) {
        if (rows < 1 || vectors.length != (long) rows * inDimension) {
            throw new IllegalArgumentException("expected " + rows + " x " + inDimension + " values, got " + vectors.length);
        }
        if (outDimension < 1 || outDimension > inDimension) {
            throw new IllegalArgumentException("outDimension must be in 1.." + inDimension + ", got " + outDimension);
        }
        double[] mean = new double[inDimension];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < inDimension; d++) {
                mean[d] += vectors[r * inDimension + d];
            }
        }
        for (int d = 0; d < inDimension; d++) {
            mean[d] /= rows;
        }
        double[][] centred = new double[rows][inDimension];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < inDimension; d++) {
                centred[r][d] = vectors[r * inDimension + d] - mean[d];
            }
        }
        double[][] covariance = new double[inDimension][inDimension];
        for (double[] row : centred) {
            for (int a = 0; a < inDimension; a++) {
                for (int b = a; b < inDimension; b++) {
                    covariance[a][b] += row[a] * row[b] / rows;
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < inDimension; a++) {
            trace += covariance[a][a];
            for (int b = 0; b < a; b++) {
                covariance[a][b] = covariance[b][a];
            }
        }
        SubspaceIteration.Eigen eigen = SubspaceIteration.top(new Dense(covariance), outDimension, ITERATIONS, seed);
        float[] projected = new float[rows * outDimension];
        double kept = 0;
        for (int d = 0; d < outDimension; d++) {
            kept += eigen.values()[d];
            for (int r = 0; r < rows; r++) {
                projected[r * outDimension + d] = (float) SubspaceIteration.dot(centred[r], eigen.vectors()[d]);
            }
        }
        return new Projection(projected, rows, outDimension, trace > 0 ? Math.min(1, kept / trace) : 0);
    }

    private record Dense(double[][] matrix) implements SubspaceIteration.SymmetricOperator {
        @Override
        public int size() {
            return matrix.length;
        }

        @Override
        public void multiply(double[] x, double[] out) {
            for (int r = 0; r < matrix.length; r++) {
                out[r] = SubspaceIteration.dot(matrix[r], x);
            }
        }
    }
}
