package io.serendip.ml.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmTextEmbedderTest {
    static MiniLmTextEmbedder embedder;

    @BeforeAll
    static void load() throws Exception {
        embedder = MiniLmTextEmbedder.load(MiniLmTextEmbedder.defaultCacheDir());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        float[][] v = embedder.embed(List.of(
                "A man is playing a guitar on stage.",
                "Someone performs music with a guitar at a concert.",
                "The stock market fell sharply after the interest rate decision.",
                "Toy Story (1995). Animation, Children's, Comedy",
                "Aladdin (1992). Animation, Children's, Comedy, Musical",
                "Godfather, The (1972). Action, Crime, Drama"));
        for (float[] vector : v) {
            assertThat(vector).hasSize(MiniLmTextEmbedder.DIMENSION);
            assertThat(dot(vector, vector)).isCloseTo(1.0, within(1e-4));
        }
        assertThat(dot(v[0], v[1])).isGreaterThan(dot(v[0], v[2]) + 0.3);
        assertThat(dot(v[3], v[4])).isGreaterThan(dot(v[3], v[5]));
    }

    @Test
    void batchingAndPaddingDoNotChangeVectors() {
        String short1 = "space adventure";
        String long1 = "a long winding story about a detective who solves crimes in a rainy city at night";
        float[] alone = embedder.embed(List.of(short1))[0];
        float[] padded = embedder.embed(List.of(long1, short1))[1];
        for (int d = 0; d < alone.length; d++) {
            assertThat(padded[d]).isCloseTo(alone[d], within(1e-4f));
        }
    }

    @Test
    void theQuantizedBuildGivesNearlyTheSameVectors() throws Exception {
        List<String> texts = List.of("A man is playing a guitar on stage.",
                "Toy Story (1995). Animation, Children's, Comedy",
                "The stock market fell sharply after the interest rate decision.");
        float[][] full = embedder.embed(texts);
        try (MiniLmTextEmbedder quantized = MiniLmTextEmbedder.load(MiniLmTextEmbedder.defaultCacheDir(),
                MiniLmTextEmbedder.Variant.QUANTIZED)) {
            float[][] q = quantized.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(q[i]).hasSize(MiniLmTextEmbedder.DIMENSION);
                assertThat(dot(q[i], q[i])).isCloseTo(1.0, within(1e-4));
                assertThat(dot(q[i], full[i])).as("cosine of text %d, int8 vs float32", i).isGreaterThan(0.9);
            }
        }
    }

    @Test
    void variantsAreNamedAsUsersWriteThem() {
        assertThat(MiniLmTextEmbedder.Variant.named("all-MiniLM-L6-v2-q")).isEqualTo(MiniLmTextEmbedder.Variant.QUANTIZED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MiniLmTextEmbedder.Variant.named("bert"))
                .hasMessageContaining("all-MiniLM-L6-v2 or all-MiniLM-L6-v2-q");
    }
}
