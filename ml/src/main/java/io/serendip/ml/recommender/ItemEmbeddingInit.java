package io.serendip.ml.recommender;

import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.embed.ItemEmbeddings;
import io.serendip.ml.embed.PrincipalComponents;
import java.util.Random;

/**
 * Starting values for the recommender's item embeddings from an embeddings artifact (text or
 * co-occurrence): vectors matched to the catalog by item id, reduced to the hidden size by principal
 * components (or padded with random values when the artifact has fewer dimensions), and scaled to the
 * transformer's initial weight scale so training starts as stable as from a random start. Items the
 * artifact does not have start random.
 */
public final class ItemEmbeddingInit {

    /** {@code itemCount x hidden} values in catalog order, how many items were matched, the variance kept. */
    public record Init(float[] vectors, int matched, double explainedVariance) {
    }

    private ItemEmbeddingInit() {
    }

    public static Init of(ItemEmbeddings source, ItemIndex catalog, int hidden, float std, long seed) {
        int[] sourceRow = new int[catalog.size()];
        int matched = 0;
        for (int item = 0; item < catalog.size(); item++) {
            sourceRow[item] = source.items().indexOf(catalog.idOf(item));
            if (sourceRow[item] >= 0) {
                matched++;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException("the embeddings artifact has none of the catalog's " + catalog.size()
                    + " item ids");
        }
        int dimension = source.dimension();
        float[] rows = new float[matched * dimension];
        int r = 0;
        for (int item = 0; item < catalog.size(); item++) {
            if (sourceRow[item] >= 0) {
                System.arraycopy(source.vectors(), sourceRow[item] * dimension, rows, r++ * dimension, dimension);
            }
        }
        int kept = Math.min(dimension, hidden);
        PrincipalComponents.Projection projection = PrincipalComponents.project(rows, matched, dimension, kept, seed);
        float scale = (float) (std / standardDeviation(projection.vectors()));
        Random random = new Random(seed);
        float[] out = new float[catalog.size() * hidden];
        r = 0;
        for (int item = 0; item < catalog.size(); item++) {
            boolean known = sourceRow[item] >= 0;
            for (int d = 0; d < hidden; d++) {
                out[item * hidden + d] = known && d < kept
                        ? projection.vectors()[r * kept + d] * scale
                        : (float) (random.nextGaussian() * std);
            }
            if (known) {
                r++;
            }
        }
        return new Init(out, matched, projection.explainedVariance());
    }

    private static double standardDeviation(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        double variance = squares / values.length - mean * mean;
        return variance > 1e-24 ? Math.sqrt(variance) : 1;
    }
}
