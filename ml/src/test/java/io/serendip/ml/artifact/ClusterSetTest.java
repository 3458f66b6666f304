package io.serendip.ml.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSetTest {
    @TempDir
    Path dir;

    static ClusterSet twoLevels() {
        ItemIndex items = ItemIndex.of(List.of("a", "b", "c", "d", "e"));
        ClusterSet.Level top = new ClusterSet.Level(new int[] {0, 0, 1, 1, 1}, null,
                List.of(List.of("drama"), List.of("comedy")));
        ClusterSet.Level fine = new ClusterSet.Level(new int[] {0, 1, 2, 2, 3}, new int[] {0, 0, 1, 1},
                List.of(List.of("war", "drama"), List.of("romance"), List.of("family", "comedy"), List.of("satire")));
        return ClusterSet.of(items, List.of(top, fine), -1);
    }

    @Test
    void roundTripsThroughAVerifiedArtifactDirectory() throws Exception {
        ClusterSet set = twoLevels();
        set.writeFiles(dir);
        ArtifactManifest.builder(ClusterSet.KIND).write(dir);

        ClusterSet loaded = ClusterSet.load(dir);
        assertThat(loaded.levels()).isEqualTo(2);
        assertThat(loaded.servingLevel()).isEqualTo(1);
        assertThat(loaded.clusterCount()).isEqualTo(4);
        assertThat(loaded.clusterOf(loaded.items().indexOf("d"))).isEqualTo(2);
        assertThat(loaded.itemsOf(2)).containsExactly(2, 3);
        assertThat(loaded.description(0)).isEqualTo("war, drama");
        assertThat(loaded.keywords(3)).containsExactly("satire");
        assertThat(loaded.clusterCount(0)).isEqualTo(2);
        assertThat(loaded.parentOf(1, 3)).isEqualTo(1);
        assertThat(loaded.clusterOf(0, 4)).isEqualTo(1);
        assertThat(loaded.sizes(0)).containsExactly(2, 3);
        assertThat(loaded.fingerprint()).isEqualTo(set.fingerprint());
    }

    @Test
    void refusesTamperedFiles() throws Exception {
        twoLevels().writeFiles(dir);
        ArtifactManifest.builder(ClusterSet.KIND).write(dir);
        Files.writeString(dir.resolve(ClusterSet.ITEMS_FILE), "a\nb\nc\nd\nx\n");
        assertThatThrownBy(() -> ClusterSet.load(dir)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("items.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{}", "{\"levels\":[null]}", "{\"levels\":[{\"assignment\":[0,0,0,0,0]}]}"})
    void refusesMissingLevelsAndKeywordsWithAnArtifactException(String clustersJson) throws Exception {
        twoLevels().writeFiles(dir);
        Files.writeString(dir.resolve(ClusterSet.CLUSTERS_FILE), clustersJson);
        ArtifactManifest.builder(ClusterSet.KIND).write(dir);
        assertThatThrownBy(() -> ClusterSet.load(dir)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("level");
    }

    @Test
    void refusesInconsistentHierarchy() {
        ItemIndex items = ItemIndex.of(List.of("a", "b"));
        ClusterSet.Level bad = new ClusterSet.Level(new int[] {0, 5}, null, List.of(List.of("x"), List.of("y")));
        assertThatThrownBy(() -> ClusterSet.of(items, List.of(bad), -1)).hasMessageContaining("outside");
        ClusterSet.Level duplicate = new ClusterSet.Level(new int[] {0, 1}, null, List.of(List.of("x"), List.of("x")));
        assertThatThrownBy(() -> ClusterSet.of(items, List.of(duplicate), -1)).hasMessageContaining("same description");
    }
}
