package io.serendip.ml.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoveltyTableTest {
    static final int C = 7;
    static final int K = 2;
    static final int TOP = 3;
    static final String FINGERPRINT = Digests.sha256("clusters".getBytes());

    @TempDir
    Path dir;

    /** Deterministic rows: the next clusters after the largest history id that are not in the history. */
    static int[] expectedRow(HistoryRows rows, long row) {
        int[] history = rows.historyOf(row);
        int start = history.length == 0 ? 0 : history[history.length - 1] + 1;
        List<Integer> out = new ArrayList<>();
        for (int step = 0; step < C && out.size() < TOP; step++) {
            int c = (start + step) % C;
            boolean inHistory = false;
            for (int h : history) {
                inHistory |= h == c;
            }
            if (!inHistory) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    Path writeComplete() throws Exception {
        HistoryRows rows = new HistoryRows(C, K);
        Path file = dir.resolve("table.bin");
        NoveltyTableWriter.write(file, C, K, TOP, FINGERPRINT, 0, rows.totalRows(), row -> expectedRow(rows, row));
        return file;
    }

    @Test
    void looksUpEveryHistoryAndFallback() throws Exception {
        HistoryRows rows = new HistoryRows(C, K);
        try (NoveltyTable table = NoveltyTable.open(writeComplete())) {
            assertThat(table.clusterCount()).isEqualTo(C);
            assertThat(table.historyLength()).isEqualTo(K);
            assertThat(table.topN()).isEqualTo(TOP);
            for (long row = 0; row < rows.totalRows(); row++) {
                assertThat(table.novelClusters(rows.historyOf(row))).containsExactly(expectedRow(rows, row));
            }
            assertThat(table.novelClusters()).containsExactly(0, 1, 2);
            assertThat(table.novelClusters(5)).containsExactly(6, 0, 1);
            // longer raw histories reduce to their last two distinct clusters
            assertThat(table.novelClusters(1, 2, 2, 3, 3)).containsExactly(table.novelClusters(2, 3));
            assertThatThrownBy(() -> table.novelClusters(C)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void padsShortRowsAndRejectsInvalidRows() throws Exception {
        HistoryRows rows = new HistoryRows(3, 2);
        Path file = dir.resolve("small.bin");
        NoveltyTableWriter.write(file, 3, 2, 2, FINGERPRINT, 0, rows.totalRows(), row -> {
            int[] history = rows.historyOf(row);
            return history.length == 2 ? new int[] {3 - history[0] - history[1]} : new int[0];
        });
        try (NoveltyTable table = NoveltyTable.open(file)) {
            assertThat(table.novelClusters(0, 1)).containsExactly(2);
            assertThat(table.novelClusters(0)).isEmpty();
        }
        assertThatThrownBy(() -> NoveltyTableWriter.write(dir.resolve("bad.bin"), 3, 2, 2, FINGERPRINT, 0,
                rows.totalRows(), row -> rows.historyOf(row))).hasMessageContaining("in the history");
    }

    @Test
    void refusesCorruptBody() throws Exception {
        Path file = writeComplete();
        flipByte(file, Files.size(file) - 3);
        assertThatThrownBy(() -> NoveltyTable.open(file)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void refusesRowsTheWriterCouldNotHaveWrittenEvenWithAValidChecksum() throws Exception {
        HistoryRows rows = new HistoryRows(C, K);
        long row = rows.rowOf(new int[] {4, 2});
        Path inHistory = writeComplete();
        overwriteCluster(inHistory, row, 0, 2);
        assertThatThrownBy(() -> NoveltyTable.open(inHistory)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("row " + row + ": cluster 2 is in the history");
        Path outside = writeComplete();
        overwriteCluster(outside, row, 1, C);
        assertThatThrownBy(() -> NoveltyTable.open(outside)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("outside 0.." + (C - 1));
        Path afterPadding = writeComplete();
        overwriteCluster(afterPadding, row, 0, -1);
        assertThatThrownBy(() -> NoveltyTable.open(afterPadding)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("after the -1 padding");
    }

    @Test
    void refusesAHeaderWhoseDimensionsOverflow() throws Exception {
        Path file = writeComplete();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(12);
            raf.writeInt(Integer.reverseBytes(Integer.MAX_VALUE)); // C
            raf.writeInt(Integer.reverseBytes(Integer.MAX_VALUE - 2)); // k
        }
        assertThatThrownBy(() -> NoveltyTable.open(file)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("table dimensions overflow");
    }

    /** Sets one cluster id of a row and re-seals the file with a matching checksum. */
    private static void overwriteCluster(Path file, long row, int slot, int cluster) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(NoveltyTableHeader.SIZE + (int) (row * TOP + slot) * Integer.BYTES, cluster);
        bytes.putLong(NoveltyTableHeader.CHECKSUMMED_PREFIX, NoveltyTable.checksum(bytes));
        Files.write(file, bytes.array());
    }

    @Test
    void refusesCorruptHeaderField() throws Exception {
        Path file = writeComplete();
        flipByte(file, 60); // inside the cluster fingerprint
        assertThatThrownBy(() -> NoveltyTable.open(file)).hasMessageContaining("checksum");
    }

    @Test
    void refusesTruncatedAndOversizedFiles() throws Exception {
        Path file = writeComplete();
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size - 4);
        }
        assertThatThrownBy(() -> NoveltyTable.open(file)).hasMessageContaining("truncated");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(40);
        }
        assertThatThrownBy(() -> NoveltyTable.open(file)).hasMessageContaining("truncated header");
        Path other = writeComplete();
        try (RandomAccessFile raf = new RandomAccessFile(other.toFile(), "rw")) {
            raf.setLength(size + 8);
        }
        assertThatThrownBy(() -> NoveltyTable.open(other)).hasMessageContaining("trailing");
    }

    @Test
    void refusesWrongMagicAndVersion() throws Exception {
        Path file = writeComplete();
        flipByte(file, 0);
        assertThatThrownBy(() -> NoveltyTable.open(file)).hasMessageContaining("magic");
        Path again = writeComplete();
        flipByte(again, 8);
        assertThatThrownBy(() -> NoveltyTable.open(again)).hasMessageContaining("format version");
    }

    @Test
    void refusesTableOfAnotherClusterSet() throws Exception {
        Path file = writeComplete();
        ClusterSet other = ClusterSetTest.twoLevels();
        assertThatThrownBy(() -> NoveltyTable.open(file, other)).hasMessageContaining("clusters");
    }

    @Test
    void acceptsTableOfItsClusterSet() throws Exception {
        ClusterSet clusters = ClusterSetTest.twoLevels();
        HistoryRows rows = new HistoryRows(clusters.clusterCount(), 2);
        Path file = dir.resolve("matching.bin");
        NoveltyTableWriter.write(file, clusters.clusterCount(), 2, 1, clusters.fingerprint(), 0, rows.totalRows(),
                row -> new int[0]);
        try (NoveltyTable table = NoveltyTable.open(file, clusters)) {
            assertThat(table.clusterCount()).isEqualTo(4);
        }
    }

    @Test
    void mergesShardsInAnyOrderAndRefusesGapsAndShardFiles() throws Exception {
        HistoryRows rows = new HistoryRows(C, K);
        long total = rows.totalRows();
        List<Path> shards = new ArrayList<>();
        int n = 3;
        for (int i = n - 1; i >= 0; i--) {
            Path shard = dir.resolve("shard-" + i + ".bin");
            NoveltyTableWriter.write(shard, C, K, TOP, FINGERPRINT, total * i / n, total * (i + 1) / n,
                    row -> expectedRow(rows, row));
            shards.add(shard);
        }
        assertThatThrownBy(() -> NoveltyTable.open(shards.get(0))).hasMessageContaining("shard");

        Path merged = dir.resolve("merged.bin");
        NoveltyTableWriter.merge(shards, merged);
        assertThat(Files.readAllBytes(merged)).isEqualTo(Files.readAllBytes(writeComplete()));

        assertThatThrownBy(() -> NoveltyTableWriter.merge(shards.subList(0, 2), dir.resolve("gap.bin")))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("row");
        flipByte(shards.get(1), NoveltyTableHeader.SIZE + 1);
        assertThatThrownBy(() -> NoveltyTableWriter.merge(shards, dir.resolve("corrupt.bin")))
                .hasMessageContaining("checksum");
    }

    private static void flipByte(Path file, long position) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x5A);
        }
    }
}
