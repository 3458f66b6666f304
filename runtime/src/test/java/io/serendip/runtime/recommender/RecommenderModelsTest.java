package io.serendip.runtime.recommender;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.ItemIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommenderModelsTest {
    static final ClusterSet CLUSTERS = ClusterSet.of(ItemIndex.of(List.of("a", "b", "c")),
            List.of(new ClusterSet.Level(new int[] {0, 1, 0}, null, List.of(List.of("x"), List.of("y")))), -1);

    @Test
    void refusesAModelBuiltOverAnotherCatalogOrder(@TempDir Path dir) throws Exception {
        ItemIndex.of(List.of("a", "c", "b")).write(dir.resolve("items.txt"));
        assertThatThrownBy(() -> RecommenderModels.requireSameItems(dir, CLUSTERS))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("item 1 is c in the model but b in the cluster set");
    }

    @Test
    void acceptsTheSameIdsOrAModelWithoutAnItemList(@TempDir Path dir) throws Exception {
        assertThatCode(() -> RecommenderModels.requireSameItems(dir, CLUSTERS)).doesNotThrowAnyException();
        ItemIndex.of(List.of("a", "b", "c")).write(dir.resolve("items.txt"));
        assertThatCode(() -> RecommenderModels.requireSameItems(dir, CLUSTERS)).doesNotThrowAnyException();
    }
}
