package io.serendip.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MovieLensImporterTest {
    @Test
    void importsMovieLens100k() throws Exception {
        Path dir = SharedData.movieLens100k();
        assumeTrue(Files.isDirectory(dir), "MovieLens-100K not found at " + dir + "; skipping the import test");

        Dataset dataset = MovieLensImporter.importFrom(dir);
        assertThat(dataset.catalog().size()).isEqualTo(1682);
        assertThat(dataset.interactions()).hasSize(100_000);
        CatalogItem toyStory = dataset.catalog().get(dataset.catalog().index().indexOf("1"));
        assertThat(toyStory.title()).isEqualTo("Toy Story (1995)");
        assertThat(toyStory.tags()).containsExactly("Animation", "Children's", "Comedy");
        assertThat(toyStory.text()).contains("Toy Story").contains("Animation");

        PositiveSequences sequences = dataset.positiveSequences();
        long positives = dataset.interactions().stream().filter(i -> i.rating() >= 4).count();
        assertThat(sequences.eventCount()).isEqualTo(positives).isEqualTo(55_375);
        assertThat(sequences.size()).isEqualTo(942); // one of the 943 users has no rating >= 4
    }
}
