package io.serendip.bench;

import io.serendip.config.RecommenderSettings;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.SyntheticGenerator;
import io.serendip.ml.eval.LeaveOneOutSplit;
import io.serendip.ml.novelty.NoveltyPrecompute;
import io.serendip.ml.novelty.Shard;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;
import io.serendip.ml.recommender.SequenceRecommenderTrainer;
import io.serendip.ml.transformer.TorchThreads;
import io.serendip.ml.transformer.TrainingOptions;
import io.serendip.runtime.recommender.RecommenderModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serving artifacts for the benchmarks, built with the production pipeline on generated data: a catalog whose
 * clusters are the generator's planted topics (item i in cluster i mod C, so every cluster holds items/C items),
 * a sequence recommender trained by {@link SequenceRecommenderTrainer} and a novelty table precomputed by
 * {@link NoveltyPrecompute} from transition frequencies. Built once per {@link Spec} under the directory named by
 * the {@value #DIR_PROPERTY} system property and loaded with the recommender server's own loader.
 */
public final class ServingFixture {
    /** System property naming the fixture cache directory (default: a folder in java.io.tmpdir). */
    public static final String DIR_PROPERTY = "serendip.bench.fixtures";
    /** Novelty-table history length k, the precompute job's default. */
    public static final int HISTORY_LENGTH = 2;
    private static final int MEAN_LENGTH = 12;
    /** Recommender shape: the train-recommender job's defaults. */
    private static final int MAX_LENGTH = 50;
    private static final int HIDDEN = 64;
    private static final int LAYERS = 2;
    private static final int HEADS = 2;
    private static final float DROPOUT = 0.3f;

    /**
     * What to build.
     *
     * @param items    catalog size
     * @param clusters serving-level clusters (each holds items / clusters items)
     * @param topN     novel clusters per novelty-table row
     * @param users    generated users
     * @param epochs   training epochs of the recommender
     * @param seed     generator and training seed
     */
    public record Spec(int items, int clusters, int topN, int users, int epochs, long seed) {
        /** 20,000 items in 200 clusters of 100; a row's 10 novel clusters hold 1,000 items = 5% of the catalog. */
        public static final Spec DEFAULT = new Spec(20_000, 200, 10, 2_000, 2, 42);

        public Spec {
            if (items % clusters != 0) {
                throw new IllegalArgumentException("items (" + items + ") must be a multiple of clusters (" + clusters + ")");
            }
        }

        String key() {
            return String.format("serving-v1-i%d-c%d-n%d-u%d-e%d-s%d", items, clusters, topN, users, epochs, seed);
        }
    }

    private ServingFixture() {
    }

    /** The generated dataset of a spec (deterministic for its seed). */
    public static Dataset dataset(int items, int clusters, int users, long seed) {
        return SyntheticGenerator.generate(new SyntheticGenerator.Options(items, users, clusters, MEAN_LENGTH, seed));
    }

    /** One serving level whose clusters are the catalog's planted topics, described by their topic tag. */
    public static ClusterSet topicClusters(Catalog catalog, int clusterCount) {
        int[] assignment = new int[catalog.size()];
        for (int i = 0; i < assignment.length; i++) {
            assignment[i] = SyntheticGenerator.topicOf(catalog.get(i));
        }
        List<List<String>> keywords = new ArrayList<>(clusterCount);
        for (int c = 0; c < clusterCount; c++) {
            keywords.add(List.of("topic-" + c));
        }
        return ClusterSet.of(catalog.index(), List.of(new ClusterSet.Level(assignment, null, keywords)), -1);
    }

    /** Precomputes a complete novelty table (transition-frequency rows, k = {@link #HISTORY_LENGTH}) into {@code file}. */
    public static void writeNoveltyTable(Path file, ClusterSet clusters, List<int[]> itemSequences, int topN)
            throws IOException {
        List<int[]> clusterSequences = TransitionCurator.clusterSequences(itemSequences, clusters);
        TransitionFrequencySource frequency = TransitionFrequencySource.fit(clusterSequences, clusters.clusterCount(),
                HISTORY_LENGTH);
        NoveltyPrecompute.run(file, clusters, HISTORY_LENGTH, topN, frequency, frequency, Shard.ALL, null);
    }

    /** Loads the spec's artifacts with {@link RecommenderModels#load}, building them first when not cached. */
    public static RecommenderModels load(Spec spec) {
        TorchThreads.limit(1);
        Path dir = ensure(spec, cacheRoot(), System.err::println);
        return RecommenderModels.load(new RecommenderSettings(dir.resolve("recommender").toString(),
                dir.resolve("clusters").toString(), dir.resolve("novelty.bin").toString(), null, null, null));
    }

    static Path cacheRoot() {
        String configured = System.getProperty(DIR_PROPERTY);
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "serendip-bench-fixtures");
    }

    /** The spec's artifact directory under {@code root}, built (atomically, via a sibling directory) if absent. */
    static Path ensure(Spec spec, Path root, java.util.function.Consumer<String> progress) {
        Path dir = root.resolve(spec.key());
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path partial = root.resolve(spec.key() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(partial);
            build(spec, partial, progress);
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            progress.accept("fixture written to " + dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build benchmark fixture " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(partial);
        }
    }

    private static void build(Spec spec, Path dir, java.util.function.Consumer<String> progress) throws IOException {
        long started = System.nanoTime();
        Dataset data = dataset(spec.items(), spec.clusters(), spec.users(), spec.seed());
        ItemIndex items = data.catalog().index();
        ClusterSet clusters = topicClusters(data.catalog(), spec.clusters());
        clusters.writeFiles(dir.resolve("clusters"));
        ArtifactManifest.builder(ClusterSet.KIND).write(dir.resolve("clusters"));

        List<int[]> sequences = data.positiveSequences().sequences();
        writeNoveltyTable(dir.resolve("novelty.bin"), clusters, sequences, spec.topN());

        progress.accept(String.format("training the recommender on %d users, %d items (%d epochs)", sequences.size(),
                items.size(), spec.epochs()));
        SequenceRecommenderTrainer.Trained trained = SequenceRecommenderTrainer.train(
                LeaveOneOutSplit.of(sequences, items.size(), LeaveOneOutSplit.DEFAULT_MIN_LENGTH), MAX_LENGTH, HIDDEN,
                LAYERS, HEADS, DROPOUT, new TrainingOptions(spec.epochs(), 32, 0.002f, spec.epochs(), spec.seed()),
                progress::accept);
        try {
            trained.save(dir.resolve("recommender"), items, Map.of());
        } finally {
            trained.recommender().close();
        }
        progress.accept(String.format("fixture built in %.1f s", (System.nanoTime() - started) / 1e9));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the default fixture (if absent) and prints its directory; run.sh calls this before the benchmarks. */
    public static void main(String[] args) {
        TorchThreads.limit(1);
        System.out.println(ensure(Spec.DEFAULT, cacheRoot(), System.out::println));
    }
}
