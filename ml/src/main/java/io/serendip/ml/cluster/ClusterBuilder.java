package io.serendip.ml.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.embed.ItemEmbeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a described, hierarchical cluster set from item embeddings and writes it as an artifact directory. */
public final class ClusterBuilder {
    public static final String QUALITY_FILE = "quality.json";

    /** The built set and its quality per level. */
    public record Result(ClusterSet clusters, List<ClusterQuality> quality) {
    }

    private ClusterBuilder() {
    }

    public static Result build(Catalog catalog, ItemEmbeddings embeddings, int[] levelCounts, int keywordsPerCluster,
                               long seed) {
        if (!catalog.index().ids().equals(embeddings.items().ids())) {
            throw new IllegalArgumentException("embeddings were computed for another catalog (item ids differ)");
        }
        HierarchicalKMeans.Hierarchy hierarchy = HierarchicalKMeans.fit(embeddings.vectors(), embeddings.dimension(),
                catalog.size(), levelCounts, seed);
        List<ClusterSet.Level> levels = new ArrayList<>();
        for (int l = 0; l < levelCounts.length; l++) {
            int[] assignment = hierarchy.assignments().get(l);
            int count = levelCounts[l];
            levels.add(new ClusterSet.Level(assignment, hierarchy.parents().get(l),
                    TfIdfKeywords.describe(catalog.items(), assignment, count, keywordsPerCluster,
                            () -> byDistanceToCentre(embeddings, assignment, count))));
        }
        ClusterSet clusters = ClusterSet.of(catalog.index(), levels, -1);
        return new Result(clusters, ClusterQuality.of(clusters, embeddings.vectors(), embeddings.dimension()));
    }

    /** Item indices ordered by cosine similarity to their cluster's mean direction, most central first. */
    static int[] byDistanceToCentre(ItemEmbeddings embeddings, int[] assignment, int clusters) {
        double[] similarity = ClusterQuality.similarityToCentre(assignment, clusters, embeddings.vectors(),
                embeddings.dimension());
        return java.util.stream.IntStream.range(0, assignment.length).boxed()
                .sorted(java.util.Comparator.comparingDouble((Integer i) -> Double.isNaN(similarity[i]) ? 0
                        : -similarity[i]).thenComparing(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Writes items, hierarchy, {@value #QUALITY_FILE} and the manifest (inputs and quality metrics). */
    public static void write(Result result, Path dir, Map<String, String> inputs) throws IOException {
        write(result, dir, inputs, Map.of());
    }

    /** Also records {@code metrics} (e.g. which users the embeddings were fit on) in the manifest. */
    public static void write(Result result, Path dir, Map<String, String> inputs, Map<String, Double> metrics)
            throws IOException {
        Files.createDirectories(dir);
        result.clusters().writeFiles(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(QUALITY_FILE).toFile(), result.quality());
        ArtifactManifest.Builder manifest = ArtifactManifest.builder(ClusterSet.KIND);
        inputs.forEach(manifest::input);
        result.quality().forEach(q -> manifest.metrics(q.metrics()));
        manifest.metric("clusterCount", result.clusters().clusterCount());
        manifest.metric("servingLevel", result.clusters().servingLevel());
        manifest.metrics(metrics);
        manifest.write(dir);
    }
}
