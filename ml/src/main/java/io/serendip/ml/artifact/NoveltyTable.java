package io.serendip.ml.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A precomputed novelty table, memory-mapped: for every history of exactly k distinct clusters the top-n
 * novel clusters, plus crowd-level fallback rows for shorter histories. Refuses corrupt, truncated,
 * partial (shard) or mismatched files, and rows the writer would not write, with {@link ArtifactException}.
 * Lookups are thread-safe.
 */
public final class NoveltyTable implements AutoCloseable {
    /** Manifest kind of a novelty table artifact directory. */
    public static final String KIND = "novelty-table";
    /** The table file inside an artifact directory. */
    public static final String FILE_NAME = io.serendip.config.ArtifactLayout.NOVELTY_TABLE_FILE;

    private final Path file;
    private final NoveltyTableHeader header;
    private final HistoryRows rows;
    private final IntBuffer body;
    private volatile boolean closed;

    private NoveltyTable(Path file, NoveltyTableHeader header, IntBuffer body) {
        this.file = file;
        this.header = header;
        this.rows = new HistoryRows(header.clusterCount(), header.historyLength());
        this.body = body;
    }

    /**
     * Opens and fully verifies (header, size, checksum) a complete table file, or an artifact directory holding
     * {@value #FILE_NAME} (then its manifest and every file digest are verified first).
     */
    public static NoveltyTable open(Path file) {
        if (java.nio.file.Files.isDirectory(file)) {
            ArtifactManifest.readVerified(file, KIND);
            file = file.resolve(FILE_NAME);
        }
        MappedByteBuffer mapped = map(file);
        NoveltyTableHeader header = NoveltyTableHeader.decode(mapped, file.toString());
        if (!header.isComplete()) {
            throw new ArtifactException(file + ": holds only rows " + header.rowStart() + ".." + header.rowEnd()
                    + " of " + header.totalRows() + " (a shard); merge the shards first");
        }
        long expectedSize = NoveltyTableHeader.SIZE + header.bodyBytes();
        if (mapped.capacity() < expectedSize) {
            throw new ArtifactException(file + ": truncated (" + mapped.capacity() + " of " + expectedSize + " bytes)");
        }
        if (mapped.capacity() > expectedSize) {
            throw new ArtifactException(file + ": " + (mapped.capacity() - expectedSize) + " unexpected trailing bytes");
        }
        long actual = checksum(mapped);
        if (actual != header.checksum()) {
            throw new ArtifactException(file + ": checksum mismatch (file is corrupt)");
        }
        IntBuffer body = mapped.slice(NoveltyTableHeader.SIZE, (int) header.bodyBytes())
                .order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        checkRows(file, header, body);
        return new NoveltyTable(file, header, body);
    }

    /** Refuses a body the writer could not have written (the checksum only proves the bytes are as written). */
    private static void checkRows(Path file, NoveltyTableHeader header, IntBuffer body) {
        HistoryRows rows = new HistoryRows(header.clusterCount(), header.historyLength());
        int[] row = new int[header.topN()];
        for (long r = 0; r < header.totalRows(); r++) {
            body.get(Math.toIntExact(r * row.length), row);
            int length = 0;
            while (length < row.length && row[length] != -1) {
                length++;
            }
            try {
                for (int i = length; i < row.length; i++) {
                    if (row[i] != -1) {
                        throw new IllegalArgumentException("row " + r + ": cluster " + row[i] + " after the -1 padding");
                    }
                }
                checkRow(rows, r, Arrays.copyOf(row, length), row.length);
            } catch (IllegalArgumentException e) {
                throw new ArtifactException(file + ": " + e.getMessage());
            }
        }
    }

    /** A row as the writer may write it: at most top-n distinct clusters of the set, none in the row's history. */
    static void checkRow(HistoryRows rows, long row, int[] clusters, int topN) {
        if (clusters.length > topN) {
            throw new IllegalArgumentException("row " + row + " has " + clusters.length + " clusters, top-n is " + topN);
        }
        int[] history = rows.historyOf(row);
        for (int i = 0; i < clusters.length; i++) {
            int c = clusters[i];
            if (c < 0 || c >= rows.clusterCount()) {
                throw new IllegalArgumentException("row " + row + ": cluster " + c + " outside 0.." + (rows.clusterCount() - 1));
            }
            for (int h : history) {
                if (h == c) {
                    throw new IllegalArgumentException("row " + row + ": cluster " + c + " is in the history");
                }
            }
            for (int j = 0; j < i; j++) {
                if (clusters[j] == c) {
                    throw new IllegalArgumentException("row " + row + ": cluster " + c + " repeated");
                }
            }
        }
    }

    /** Opens a table and also refuses it unless it was built for exactly this cluster set. */
    public static NoveltyTable open(Path file, ClusterSet clusters) {
        NoveltyTable table = open(file);
        if (table.clusterCount() != clusters.clusterCount()) {
            throw new ArtifactException(file + ": built for " + table.clusterCount() + " clusters, the cluster set has "
                    + clusters.clusterCount());
        }
        if (!table.header.fingerprintHex().equals(clusters.fingerprint())) {
            throw new ArtifactException(file + ": built for cluster set " + table.header.fingerprintHex()
                    + ", not for " + clusters.fingerprint());
        }
        return table;
    }

    static MappedByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ArtifactException(file + ": " + size + " bytes exceeds the 2 GiB single-mapping limit");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new ArtifactException("cannot open novelty table " + file + ": " + e.getMessage(), e);
        }
    }

    /** CRC32C over header bytes 0..79 and the body, as stored at header offset 80. */
    static long checksum(ByteBuffer file) {
        CRC32C crc = new CRC32C();
        crc.update(file.slice(0, NoveltyTableHeader.CHECKSUMMED_PREFIX));
        crc.update(file.slice(NoveltyTableHeader.SIZE, file.capacity() - NoveltyTableHeader.SIZE));
        return crc.getValue();
    }

    public int clusterCount() {
        return header.clusterCount();
    }

    public int historyLength() {
        return header.historyLength();
    }

    public int topN() {
        return header.topN();
    }

    public NoveltyTableHeader header() {
        return header;
    }

    /**
     * Top novel clusters for a cluster history (oldest first). The history is reduced to its last k distinct
     * clusters; with exactly k the precomputed row is returned, with fewer the fallback row (most frequent
     * novel transitions from that shorter history; globally most frequent for an empty one). Never returns a
     * cluster of the reduced history. Throws {@link IllegalArgumentException} for a cluster id outside the set.
     */
    public int[] novelClusters(int... history) {
        if (closed) {
            throw new IllegalStateException("novelty table " + file + " is closed");
        }
        long row = rows.rowOf(rows.lastDistinct(history));
        int n = header.topN();
        int base = Math.toIntExact(row * n);
        int[] result = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int cluster = body.get(base + i);
            if (cluster >= 0) {
                result[count++] = cluster;
            }
        }
        return count == n ? result : Arrays.copyOf(result, count);
    }

    @Override
    public void close() {
        // A mapped buffer is released by the garbage collector; closing stops further lookups.
        closed = true;
    }
}
