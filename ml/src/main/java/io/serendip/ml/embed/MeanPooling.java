package io.serendip.ml.embed;

/** Mean of token vectors over the attention mask, then L2 normalisation: the sentence-transformers pooling. */
public final class MeanPooling {
    private MeanPooling() {
    }

    /**
     * @param hidden row-major [batch, length, dimension] token vectors
     * @param mask   [batch][length] 1 for real tokens, 0 for padding
     */
    public static float[][] pool(float[] hidden, long[][] mask, int length, int dimension) {
        float[][] result = new float[mask.length][dimension];
        for (int b = 0; b < mask.length; b++) {
            int tokens = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b][t] == 0) {
                    continue;
                }
                tokens++;
                int offset = (b * length + t) * dimension;
                for (int d = 0; d < dimension; d++) {
                    result[b][d] += hidden[offset + d];
                }
            }
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                result[b][d] /= Math.max(tokens, 1);
                norm += result[b][d] * result[b][d];
            }
            float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int d = 0; d < dimension; d++) {
                result[b][d] *= scale;
            }
        }
        return result;
    }
}
