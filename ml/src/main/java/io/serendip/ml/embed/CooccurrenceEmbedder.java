package io.serendip.ml.embed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Behavioural item embeddings: a truncated SVD of the positive-PMI item co-occurrence matrix (items engaged with
 * within {@code window} positions of each other in a sequence), computed by seeded subspace iteration. Pure Java;
 * rows are L2-normalised. Items never engaged with get a zero vector.
 */
public final class CooccurrenceEmbedder {
    private static final int ITERATIONS = 30;

    private CooccurrenceEmbedder() {
    }

    public static float[] embed(List<int[]> sequences, int itemCount, int dimension, int window, long seed) {
        if (dimension < 1 || dimension > itemCount) {
            throw new IllegalArgumentException("dimension must be in 1.." + itemCount + ", got " + dimension);
        }
        SparseMatrix ppmi = ppmi(sequences, itemCount, window);
        double[][] basis = topEigenvectors(ppmi, dimension, seed);
        float[] vectors = new float[itemCount * dimension];
        for (int i = 0; i < itemCount; i++) {
            for (int d = 0; d < dimension; d++) {
                vectors[i * dimension + d] = (float) basis[d][i];
            }
        }
        ItemEmbeddings.normalizeRows(vectors, dimension);
        return vectors;
    }

    /** Symmetric sparse matrix in compressed rows. */
    record SparseMatrix(int size, int[] rowStart, int[] columns, double[] values)
            implements SubspaceIteration.SymmetricOperator {
        @Override
        public void multiply(double[] x, double[] out) {
            for (int r = 0; r < size; r++) {
                double sum = 0;
                for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                    sum += values[p] * x[columns[p]];
                }
                out[r] = sum;
            }
        }
    }

    static SparseMatrix ppmi(List<int[]> sequences, int itemCount, int window) {
        List<Map<Integer, Double>> counts = new java.util.ArrayList<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            counts.add(new HashMap<>());
        }
        double[] marginal = new double[itemCount];
        double total = 0;
        for (int[] sequence : sequences) {
            for (int i = 0; i < sequence.length; i++) {
                for (int j = i + 1; j < Math.min(sequence.length, i + 1 + window); j++) {
                    int a = sequence[i];
                    int b = sequence[j];
                    if (a == b) {
                        continue;
                    }
                    counts.get(a).merge(b, 1.0, Double::sum);
                    counts.get(b).merge(a, 1.0, Double::sum);
                    marginal[a]++;
                    marginal[b]++;
                    total += 2;
                }
            }
        }
        int nonZero = counts.stream().mapToInt(Map::size).sum();
        int[] rowStart = new int[itemCount + 1];
        int[] columns = new int[nonZero];
        double[] values = new double[nonZero];
        int p = 0;
        for (int a = 0; a < itemCount; a++) {
            rowStart[a] = p;
            for (Map.Entry<Integer, Double> entry : counts.get(a).entrySet()) {
                int b = entry.getKey();
                double pmi = Math.log(entry.getValue() * total / (marginal[a] * marginal[b]));
                if (pmi > 0) {
                    columns[p] = b;
                    values[p] = pmi;
                    p++;
                }
            }
        }
        rowStart[itemCount] = p;
        return new SparseMatrix(itemCount, rowStart, java.util.Arrays.copyOf(columns, p), java.util.Arrays.copyOf(values, p));
    }

    /** The top eigenvectors, each scaled by sqrt|eigenvalue|. */
    static double[][] topEigenvectors(SparseMatrix matrix, int dimension, long seed) {
        SubspaceIteration.Eigen eigen = SubspaceIteration.top(matrix, dimension, ITERATIONS, seed);
        double[][] basis = eigen.vectors();
        for (int d = 0; d < dimension; d++) {
            double scale = Math.sqrt(Math.abs(eigen.values()[d]));
            for (int i = 0; i < basis[d].length; i++) {
                basis[d][i] *= scale;
            }
        }
        return basis;
    }
}
