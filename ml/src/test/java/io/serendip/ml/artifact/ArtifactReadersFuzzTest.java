package io.serendip.ml.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.serendip.ml.recommender.RecommenderHyperparameters;
import io.serendip.ml.transformer.TransformerConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every artifact reader on arbitrary bytes: it refuses with {@link ArtifactException} (never another
 * exception, never an OutOfMemoryError or a hang), or what it read keeps the artifact's invariants.
 * The last input byte picks the reader; {@code FUZZ_TARGET=<Reader>} pins one (bench/fuzz/run.sh).
 */
class ArtifactReadersFuzzTest {
    enum Reader { MANIFEST, ITEM_INDEX, CLUSTER_SET, NOVELTY_TABLE, RECOMMENDER_HYPERPARAMETERS }

    private static final Reader ONLY = System.getenv("FUZZ_TARGET") == null ? null
            : Reader.valueOf(System.getenv("FUZZ_TARGET"));
    private static final Map<Reader, Long> INPUTS = new EnumMap<>(Reader.class);

    @TempDir
    static Path dir;

    @BeforeAll
    static void artifactFile() throws Exception {
        Files.writeString(dir.resolve(ClusterSet.ITEMS_FILE), "a\nb\nc\nd\ne\n");
    }

    @AfterAll
    static void report() {
        INPUTS.forEach((reader, count) -> System.out.println("fuzz target " + reader + ": " + count + " inputs"));
    }

    @DictionaryEntries({"null", "true", "[]", "{}", "[null]", "-1", "2147483648", "1e999", "\"\\u0000\"", "\"../x\"",
        "\"kind\"", "\"files\"", "\"formatVersion\"", "\"levels\"", "\"servingLevel\"", "\"assignment\"",
        "\"parents\"", "\"keywords\"", "\"itemCount\"", "\"transformer\"", "\"training\"", "\"heads\"",
        "\"hiddenSize\"", "\"vocabularySize\"", "SRNDNOVT"})
    @Timeout(10) // seconds per input: a slower one is a finding (libFuzzer -timeout)
    @FuzzTest(maxDuration = "10s")
    void readersRefuseOrKeepTheirInvariants(FuzzedDataProvider data) throws Exception {
        Reader picked = data.pickValue(Reader.values());
        Reader reader = ONLY != null ? ONLY : picked;
        INPUTS.merge(reader, 1L, Long::sum);
        try {
            switch (reader) {
                case MANIFEST -> manifest(data.consumeRemainingAsBytes());
                case ITEM_INDEX -> itemIndex(data.consumeRemainingAsBytes());
                case CLUSTER_SET -> clusterSet(data.consumeRemainingAsBytes());
                case NOVELTY_TABLE -> noveltyTable(data.consumeBoolean() ? framedTable(data) : data.consumeRemainingAsBytes());
                case RECOMMENDER_HYPERPARAMETERS -> hyperparameters(data.consumeRemainingAsBytes());
            }
        } catch (ArtifactException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** A manifest beside items.txt: every file it lists lies inside the directory with the listed sha256. */
    private static void manifest(byte[] manifest) throws Exception {
        Files.write(dir.resolve(ArtifactManifest.FILE_NAME), manifest);
        ArtifactManifest read = ArtifactManifest.readVerified(dir, ClusterSet.KIND);
        assertThat(read.kind()).isEqualTo(ClusterSet.KIND);
        assertThat(read.files()).isNotEmpty();
        for (Map.Entry<String, String> file : read.files().entrySet()) {
            Path path = dir.resolve(file.getKey()).normalize();
            assertThat(path).startsWith(dir).isRegularFile();
            assertThat(Digests.sha256(path)).isEqualToIgnoringCase(file.getValue());
        }
    }

    /** An item index maps every id to its line and survives a write/read round trip. */
    private static void itemIndex(byte[] text) throws Exception {
        Path file = dir.resolve("index/items.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, text);
        ItemIndex index = ItemIndex.read(file);
        for (int i = 0; i < index.size(); i++) {
            assertThat(index.idOf(i)).isNotEmpty();
            assertThat(index.indexOf(index.idOf(i))).isEqualTo(i);
        }
        index.write(file);
        assertThat(ItemIndex.read(file).ids()).isEqualTo(index.ids());
    }

    /** clusters.json beside five items under a matching manifest (so parsing is reached): a consistent hierarchy. */
    private static void clusterSet(byte[] clustersJson) throws Exception {
        Path set = dir.resolve("clusters");
        Files.createDirectories(set);
        Files.copy(dir.resolve(ClusterSet.ITEMS_FILE), set.resolve(ClusterSet.ITEMS_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(set.resolve(ClusterSet.CLUSTERS_FILE), clustersJson);
        ArtifactManifest.builder(ClusterSet.KIND).write(set);
        ClusterSet loaded = ClusterSet.load(set);
        for (int level = 0; level < loaded.levels(); level++) {
            Set<String> descriptions = new HashSet<>();
            int members = 0;
            for (int cluster = 0; cluster < loaded.clusterCount(level); cluster++) {
                assertThat(descriptions.add(loaded.description(level, cluster))).isTrue();
                for (int item : loaded.itemsOf(level, cluster)) {
                    assertThat(loaded.clusterOf(level, item)).isEqualTo(cluster);
                }
                members += loaded.itemsOf(level, cluster).length;
                if (level > 0) {
                    assertThat(loaded.parentOf(level, cluster)).isBetween(0, loaded.clusterCount(level - 1) - 1);
                }
            }
            assertThat(members).isEqualTo(loaded.items().size());
        }
    }

    /** A novelty table: every lookup answers at most top-n distinct clusters of the set, none in the history. */
    private static void noveltyTable(byte[] bytes) throws Exception {
        Path file = dir.resolve("novelty.bin");
        Files.write(file, bytes);
        try (NoveltyTable table = NoveltyTable.open(file)) {
            HistoryRows rows = new HistoryRows(table.clusterCount(), table.historyLength());
            for (long row = 0; row < rows.totalRows(); row++) {
                int[] history = rows.historyOf(row);
                int[] novel = table.novelClusters(history);
                assertThat(novel.length).isLessThanOrEqualTo(table.topN());
                assertThat(novel).as("row %d", row).doesNotHaveDuplicates();
                for (int cluster : novel) {
                    assertThat(cluster).as("row %d", row).isBetween(0, table.clusterCount() - 1);
                    assertThat(history).as("row %d", row).doesNotContain(cluster);
                }
            }
        }
    }

    /** A complete table for a small set (C <= 8, k <= 3) with a correct header and checksum; the rows are fuzzed. */
    private static byte[] framedTable(FuzzedDataProvider data) {
        int clusters = data.consumeInt(1, 8);
        int k = data.consumeInt(1, Math.min(3, clusters));
        int topN = data.consumeInt(1, 4);
        long totalRows = new HistoryRows(clusters, k).totalRows();
        byte[] fingerprint = Arrays.copyOf(data.consumeBytes(32), 32);
        NoveltyTableHeader header = new NoveltyTableHeader(clusters, k, topN, totalRows, 0, totalRows, fingerprint, 0);
        ByteBuffer file = ByteBuffer.allocate(NoveltyTableHeader.SIZE + (int) header.bodyBytes())
                .order(ByteOrder.LITTLE_ENDIAN);
        file.put(header.encode());
        while (file.hasRemaining()) {
            file.putInt(data.consumeInt(-2, clusters));
        }
        file.putLong(NoveltyTableHeader.CHECKSUMMED_PREFIX, NoveltyTable.checksum(file.clear()));
        return file.array();
    }

    /** A recommender's hyperparameters.json: a shape a model can be built from. */
    private static void hyperparameters(byte[] json) throws Exception {
        Path model = dir.resolve("recommender");
        Files.createDirectories(model);
        Files.write(model.resolve(RecommenderHyperparameters.FILE_NAME), json);
        RecommenderHyperparameters read = RecommenderHyperparameters.read(model);
        assertThat(read).isNotNull();
        TransformerConfig shape = read.transformer();
        assertThat(shape).isNotNull();
        assertThat(shape.vocabularySize()).isEqualTo(read.itemCount() + 1);
        assertThat(shape.hiddenSize() % shape.heads()).isZero();
        assertThat(shape.maxLength()).isPositive();
        assertThat(shape.layers()).isPositive();
    }
}
