package io.serendip.runtime.testing;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.HistoryRows;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.artifact.NoveltyTableWriter;
import io.serendip.ml.eval.LeaveOneOutSplit;
import io.serendip.ml.interest.InterestModelTrainer;
import io.serendip.ml.interest.InterestTrainingSettings;
import io.serendip.ml.recommender.SequenceRecommenderTrainer;
import io.serendip.ml.transformer.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small real serving artifacts for tests: a cluster set (item i in cluster i mod C), a sequence
 * recommender trained with the pipeline's trainer on generated sequences, and a novelty table.
 * The table follows a fixed rule so tests can predict it: after a history whose last cluster is
 * c, the novel clusters are c+1, c+2, ... (mod C), skipping the history.
 */
public final class TinyArtifacts {
    public static final int ITEMS = 48;
    public static final int CLUSTERS = 6;
    public static final int HISTORY_LENGTH = 2;
    public static final int TOP_N = 2;

    public final Path clustersDir;
    public final Path modelDir;
    public final Path noveltyTable;
    public final ClusterSet clusters;

    private TinyArtifacts(Path clustersDir, Path modelDir, Path noveltyTable, ClusterSet clusters) {
        this.clustersDir = clustersDir;
        this.modelDir = modelDir;
        this.noveltyTable = noveltyTable;
        this.clusters = clusters;
    }

    public static String itemId(int index) {
        return "m" + (100 + index);
    }

    public static int clusterOfItem(int index) {
        return index % CLUSTERS;
    }

    /** The table's rule (see class comment) for a reduced history, oldest first. */
    public static int[] expectedNovel(int[] distinctHistory) {
        int start = distinctHistory.length == 0 ? -1 : distinctHistory[distinctHistory.length - 1];
        int[] out = new int[TOP_N];
        int n = 0;
        for (int step = 1; n < TOP_N && step <= CLUSTERS; step++) {
            int c = Math.floorMod(start + step, CLUSTERS);
            boolean inHistory = false;
            for (int h : distinctHistory) {
                inHistory |= h == c;
            }
            if (!inHistory) {
                out[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    public static List<String> itemIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            ids.add(itemId(i));
        }
        return ids;
    }

    /** Planted sequences: item i is usually followed by item i + 1 (so cluster c by cluster c + 1). */
    public static List<int[]> sequences(int users, long seed) {
        return sequences(users, seed, ITEMS);
    }

    /** The same planted sequences over {@code items} items. */
    public static List<int[]> sequences(int users, long seed, int items) {
        Random random = new Random(seed);
        List<int[]> sequences = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int[] sequence = new int[8 + random.nextInt(6)];
            sequence[0] = random.nextInt(items);
            for (int i = 1; i < sequence.length; i++) {
                sequence[i] = random.nextDouble() < 0.8 ? (sequence[i - 1] + 1) % items : random.nextInt(items);
            }
            sequences.add(sequence);
        }
        return sequences;
    }

    public static TinyArtifacts build(Path root) throws Exception {
        Path modelDir = root.resolve("recommender");
        trainModel(modelDir, 3);
        return around(root, modelDir);
    }

    /**
     * The cluster set (item i in cluster i mod C, over the ids of the model's items.txt, in its order) and the
     * novelty table, written under {@code root} for a model artifact that already exists.
     */
    public static TinyArtifacts around(Path root, Path modelDir) throws Exception {
        List<String> ids = ItemIndex.read(modelDir.resolve(ClusterSet.ITEMS_FILE)).ids();
        int[] assignment = new int[ids.size()];
        for (int i = 0; i < assignment.length; i++) {
            assignment[i] = clusterOfItem(i);
        }
        List<List<String>> keywords = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            keywords.add(List.of("theme" + c, "mood" + c));
        }
        ClusterSet clusters = ClusterSet.of(ItemIndex.of(ids), List.of(new ClusterSet.Level(assignment, null, keywords)), -1);
        Path clustersDir = root.resolve("clusters");
        clusters.writeFiles(clustersDir);
        ArtifactManifest.builder(ClusterSet.KIND).write(clustersDir);

        Path noveltyDir = root.resolve("novelty");
        Files.createDirectories(noveltyDir);
        Path table = noveltyDir.resolve("novelty.bin");
        writeTable(table, clusters.fingerprint());
        return new TinyArtifacts(clustersDir, modelDir, table, ClusterSet.load(clustersDir));
    }

    /** Trains a small recommender on sequences where item i is usually followed by i + 1. */
    public static void trainModel(Path dir, long seed) throws Exception {
        trainModel(dir, seed, itemIds());
    }

    /** The same small recommender (own format) over the given item ids. */
    public static void trainModel(Path dir, long seed, List<String> ids) throws Exception {
        List<int[]> sequences = sequences(120, seed, ids.size());
        SequenceRecommenderTrainer.Trained trained = SequenceRecommenderTrainer.train(
                LeaveOneOutSplit.of(sequences, ids.size(), 3), 16, 16, 1, 1, 0.0f,
                new TrainingOptions(3, 64, 0.01f, 2, seed), message -> { });
        trained.save(dir, ItemIndex.of(ids), Map.of());
        trained.recommender().close();
    }

    /** Trains the novel-interest language model on the planted cluster transitions (quality gates must pass). */
    public static Path trainInterestModel(Path dir, ClusterSet clusters) throws Exception {
        InterestModelTrainer.Trained trained = InterestModelTrainer.train(sequences(300, 5), clusters,
                new InterestTrainingSettings(HISTORY_LENGTH, true, 16, 1, 1, 0.0f, 4, 3.0, 0.15, 11, 60, 0.05,
                        new TrainingOptions(6, 64, 0.01f, 3, 11)), message -> System.out.println("interest training: " + message));
        trained.save(dir, Map.of());
        trained.model().close();
        return dir;
    }

    public static void writeTable(Path file, String fingerprint) throws Exception {
        HistoryRows rows = new HistoryRows(CLUSTERS, HISTORY_LENGTH);
        NoveltyTableWriter.write(file, CLUSTERS, HISTORY_LENGTH, TOP_N, fingerprint, 0, rows.totalRows(),
                row -> expectedNovel(rows.historyOf(row)));
    }
}
