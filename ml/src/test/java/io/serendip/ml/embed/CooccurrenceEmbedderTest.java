package io.serendip.ml.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.SyntheticGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CooccurrenceEmbedderTest {
    @TempDir
    Path dir;

    @Test
    void itemsOfTheSamePlantedInterestAreCloser() throws Exception {
        Dataset data = SyntheticGenerator.generate(new SyntheticGenerator.Options(120, 600, 6, 15, 3));
        int items = data.catalog().size();
        float[] vectors = CooccurrenceEmbedder.embed(data.positiveSequences().sequences(), items, 16, 3, 42);
        ItemEmbeddings embeddings = new ItemEmbeddings(data.catalog().index(), 16, vectors);

        double same = 0;
        double other = 0;
        int sameCount = 0;
        int otherCount = 0;
        for (int a = 0; a < items; a++) {
            for (int b = a + 1; b < items; b++) {
                double cosine = embeddings.cosine(a, b);
                if (SyntheticGenerator.topicOf(data.catalog().get(a)) == SyntheticGenerator.topicOf(data.catalog().get(b))) {
                    same += cosine;
                    sameCount++;
                } else {
                    other += cosine;
                    otherCount++;
                }
            }
        }
        assertThat(same / sameCount).isGreaterThan(other / otherCount + 0.2);

        // deterministic for a seed
        assertThat(CooccurrenceEmbedder.embed(data.positiveSequences().sequences(), items, 16, 3, 42)).isEqualTo(vectors);

        embeddings.write(dir, ArtifactManifest.builder(ItemEmbeddings.KIND));
        ItemEmbeddings loaded = ItemEmbeddings.load(dir);
        assertThat(loaded.vectors()).isEqualTo(vectors);
        Files.write(dir.resolve(ItemEmbeddings.VECTORS_FILE), new byte[] {1, 2, 3});
        Assertions.assertThatThrownBy(() -> ItemEmbeddings.load(dir)).isInstanceOf(ArtifactException.class);
    }
}
