package io.serendip.ml.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.SyntheticGenerator;
import io.serendip.ml.embed.CooccurrenceEmbedder;
import io.serendip.ml.embed.ItemEmbeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusteringTest {
    @TempDir
    Path dir;

    @Test
    void kMeansSeparatesWellSeparatedBlobsDeterministically() {
        int perBlob = 30;
        float[] vectors = new float[3 * perBlob * 2];
        java.util.Random random = new java.util.Random(1);
        float[][] centres = {{0, 0}, {10, 0}, {0, 10}};
        for (int i = 0; i < 3 * perBlob; i++) {
            vectors[2 * i] = centres[i / perBlob][0] + (float) random.nextGaussian();
            vectors[2 * i + 1] = centres[i / perBlob][1] + (float) random.nextGaussian();
        }
        int[] all = java.util.stream.IntStream.range(0, 3 * perBlob).toArray();
        KMeans.Result result = KMeans.fit(vectors, 2, all, 3, 5);
        for (int blob = 0; blob < 3; blob++) {
            int label = result.assignment()[blob * perBlob];
            for (int i = 0; i < perBlob; i++) {
                assertThat(result.assignment()[blob * perBlob + i]).isEqualTo(label);
            }
        }
        assertThat(new HashSet<>(Arrays.asList(result.assignment()[0], result.assignment()[perBlob],
                result.assignment()[2 * perBlob]))).hasSize(3);
        assertThat(KMeans.fit(vectors, 2, all, 3, 5).assignment()).isEqualTo(result.assignment());
        assertThatThrownBy(() -> KMeans.fit(vectors, 2, all, 91, 5)).hasMessageContaining("k must be");
    }

    @Test
    void aCatalogOfIdsOnlyIsDescribedByIdsAsIdsNeverByDecadesMinedFromTheirDigits() throws Exception {
        // sequences over four-digit ids, as import-sequences makes them without a catalog: two planted groups
        Path input = dir.resolve("sequences.txt");
        java.util.Random random = new java.util.Random(4);
        StringBuilder lines = new StringBuilder();
        for (int user = 0; user < 300; user++) {
            int group = user % 2;
            lines.append("u").append(user);
            for (int i = 0; i < 12; i++) {
                lines.append(' ').append(2000 + group * 100 + random.nextInt(30));
            }
            lines.append('\n');
        }
        Files.writeString(input, lines);
        Dataset data = io.serendip.ml.data.SequenceImporter.importFrom(input, null);
        int items = data.catalog().size();
        float[] vectors = CooccurrenceEmbedder.embed(data.positiveSequences().sequences(), items, 8, 3, 1);
        ClusterSet clusters = ClusterBuilder.build(data.catalog(), new ItemEmbeddings(data.catalog().index(), 8,
                vectors), new int[] {2, 6}, 3, 7).clusters();

        assertThat(clusters.descriptions()).hasSize(6).doesNotHaveDuplicates()
                .noneMatch(d -> d.matches(".*\\d0s.*")).noneMatch(d -> d.matches("cluster \\d+"))
                .allMatch(d -> d.startsWith("items "));
        for (int c = 0; c < clusters.clusterCount(); c++) {
            Set<String> members = new HashSet<>();
            for (int item : clusters.itemsOf(c)) {
                members.add(data.catalog().get(item).id());
            }
            assertThat(clusters.description(c).substring("items ".length()).split(", ")).hasSize(3)
                    .allMatch(members::contains);
        }
    }

    @Test
    void allocatesChildrenProportionallyWithinBounds() {
        int[][] members = {new int[10], new int[1], new int[5]};
        int[] children = HierarchicalKMeans.allocate(members, 8);
        assertThat(Arrays.stream(children).sum()).isEqualTo(8);
        assertThat(children[1]).isEqualTo(1);
        assertThat(children[0]).isGreaterThan(children[2]);
        assertThatThrownBy(() -> HierarchicalKMeans.validate(new int[] {5, 3}, 100)).hasMessageContaining("smaller");
    }

    @Test
    void hierarchicalClustersRecoverPlantedInterestsWithUniqueKeywords() throws Exception {
        Dataset data = SyntheticGenerator.generate(new SyntheticGenerator.Options(160, 800, 8, 15, 11));
        int items = data.catalog().size();
        float[] vectors = CooccurrenceEmbedder.embed(data.positiveSequences().sequences(), items, 16, 3, 1);
        ItemEmbeddings embeddings = new ItemEmbeddings(data.catalog().index(), 16, vectors);

        ClusterBuilder.Result result = ClusterBuilder.build(data.catalog(), embeddings, new int[] {8, 16}, 3, 7);
        ClusterSet clusters = result.clusters();
        assertThat(clusters.levels()).isEqualTo(2);
        assertThat(clusters.clusterCount()).isEqualTo(16);
        assertThat(clusters.clusterCount(0)).isEqualTo(8);
        for (int item = 0; item < items; item++) {
            assertThat(clusters.parentOf(1, clusters.clusterOf(item))).isEqualTo(clusters.clusterOf(0, item));
        }
        // purity of the top level against the planted topics
        int pure = 0;
        for (int c = 0; c < 8; c++) {
            Map<Integer, Long> topics = Arrays.stream(clusters.itemsOf(0, c)).boxed().collect(
                    java.util.stream.Collectors.groupingBy(i -> SyntheticGenerator.topicOf(data.catalog().get(i)),
                            java.util.stream.Collectors.counting()));
            pure += topics.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
        assertThat((double) pure / items).isGreaterThan(0.8); // random assignment gives about 0.2
        // the planted topic tag is the top keyword of a pure cluster, descriptions are unique
        Set<String> descriptions = new HashSet<>(clusters.descriptions());
        assertThat(descriptions).hasSize(16);
        assertThat(clusters.keywords(0, 0).get(0)).startsWith("topic-");

        ClusterQuality top = result.quality().get(0);
        assertThat(top.balance()).isBetween(0.9, 1.0);
        assertThat(top.cohesion()).isGreaterThan(0.5);
        assertThat(top.sizes()).hasSize(8);

        ClusterBuilder.write(result, dir, Map.of("catalog", "abc"));
        assertThat(Files.exists(dir.resolve(ClusterBuilder.QUALITY_FILE))).isTrue();
        ClusterSet loaded = ClusterSet.load(dir);
        assertThat(loaded.descriptions()).isEqualTo(clusters.descriptions());
        assertThat(loaded.fingerprint()).isEqualTo(clusters.fingerprint());
    }

    @Test
    void uniqueDescriptionsExtendOrNumberCollisions() {
        List<List<String>> unique = TfIdfKeywords.unique(List.of(List.of("drama", "war"), List.of("drama", "war", "love"),
                List.of("drama", "war")), 2);
        assertThat(unique).containsExactly(List.of("drama", "war"), List.of("drama", "war", "love"),
                List.of("drama", "war", "cluster 2"));
    }
}
