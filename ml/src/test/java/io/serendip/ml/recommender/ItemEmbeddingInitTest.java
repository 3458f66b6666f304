package io.serendip.ml.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.embed.ItemEmbeddings;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemEmbeddingInitTest {

    @Test
    void matchesByIdReducesToTheHiddenSizeAndScalesToTheInitialWeightScale() {
        int dim = 12;
        List<String> sourceIds = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        float[] vectors = new float[sourceIds.size() * dim];
        Random random = new Random(5);
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) random.nextGaussian();
        }
        ItemEmbeddings source = new ItemEmbeddings(ItemIndex.of(sourceIds), dim, vectors);
        // the catalog orders items differently, and "z" is not in the embeddings
        ItemIndex catalog = ItemIndex.of(List.of("h", "z", "a", "c"));

        ItemEmbeddingInit.Init init = ItemEmbeddingInit.of(source, catalog, 4, 0.02f, 42);

        assertThat(init.matched()).isEqualTo(3);
        assertThat(init.vectors()).hasSize(4 * 4);
        assertThat(init.explainedVariance()).isBetween(0.0, 1.0);
        float[] known = new float[3 * 4];
        System.arraycopy(init.vectors(), 0, known, 0, 4);
        System.arraycopy(init.vectors(), 8, known, 4, 8);
        assertThat(standardDeviation(known)).isCloseTo(0.02, within(1e-4));
        // same inputs, same start
        assertThat(ItemEmbeddingInit.of(source, catalog, 4, 0.02f, 42).vectors()).containsExactly(init.vectors());
    }

    @Test
    void fewerSourceDimensionsThanHiddenArePaddedAtRandom() {
        ItemEmbeddings source = new ItemEmbeddings(ItemIndex.of(List.of("a", "b", "c")), 2,
                new float[] {1, 0, 0, 1, -1, -1});
        ItemEmbeddingInit.Init init = ItemEmbeddingInit.of(source, ItemIndex.of(List.of("a", "b", "c")), 5, 0.02f, 1);
        assertThat(init.vectors()).hasSize(15);
        assertThat(init.explainedVariance()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void anArtifactWithNoneOfTheCatalogsItemsIsRefused() {
        ItemEmbeddings source = new ItemEmbeddings(ItemIndex.of(List.of("x")), 2, new float[] {1, 2});
        assertThatThrownBy(() -> ItemEmbeddingInit.of(source, ItemIndex.of(List.of("a", "b")), 4, 0.02f, 1))
                .hasMessageContaining("none of the catalog's 2 item ids");
    }

    private static double standardDeviation(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v / (double) values.length;
        }
        double variance = 0;
        for (float v : values) {
            variance += (v - mean) * (v - mean) / values.length;
        }
        return Math.sqrt(variance);
    }
}
