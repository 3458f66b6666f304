package io.serendip.ml.artifact;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/** Writes novelty table files (complete or one shard) and merges shards into a complete table. */
public final class NoveltyTableWriter {
    private NoveltyTableWriter() {
    }

    /** Supplies the top-n novel clusters for one row (see {@link HistoryRows#historyOf}). */
    @FunctionalInterface
    public interface RowSource {
        int[] row(long row);
    }

    /**
     * Writes rows {@code [rowStart, rowEnd)} to {@code file} (atomically, via a temporary file). Each row from
     * the source may hold at most top-n distinct valid cluster ids, none of them in the row's history;
     * shorter rows are padded with -1.
     */
    public static NoveltyTableHeader write(Path file, int clusterCount, int historyLength, int topN,
                                           String clusterFingerprint, long rowStart, long rowEnd, RowSource source)
            throws IOException {
        HistoryRows rows = new HistoryRows(clusterCount, historyLength);
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be >= 1, got " + topN);
        }
        if (rowStart < 0 || rowEnd < rowStart || rowEnd > rows.totalRows()) {
            throw new IllegalArgumentException("row range " + rowStart + ".." + rowEnd + " outside 0.." + rows.totalRows());
        }
        NoveltyTableHeader header = new NoveltyTableHeader(clusterCount, historyLength, topN, rows.totalRows(),
                rowStart, rowEnd, NoveltyTableHeader.fingerprintBytes(clusterFingerprint), 0L);
        CRC32C crc = new CRC32C();
        crc.update(header.encode().limit(NoveltyTableHeader.CHECKSUMMED_PREFIX));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer rowBytes = ByteBuffer.allocate(topN * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            out.write(header.encode().array());
            for (long row = rowStart; row < rowEnd; row++) {
                int[] clusters = source.row(row);
                NoveltyTable.checkRow(rows, row, clusters, topN);
                rowBytes.clear();
                for (int i = 0; i < topN; i++) {
                    rowBytes.putInt(i < clusters.length ? clusters[i] : -1);
                }
                crc.update(rowBytes.array(), 0, rowBytes.capacity());
                out.write(rowBytes.array(), 0, rowBytes.capacity());
            }
        }
        NoveltyTableHeader finished = header.withChecksum(crc.getValue());
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.write(finished.encode(), 0);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return finished;
    }

    /**
     * Merges shard files (any order) into one complete table. Every shard is checksum-verified; they must agree on
     * C, k, top-n and cluster fingerprint and cover all rows exactly once.
     */
    public static NoveltyTableHeader merge(List<Path> shards, Path out) throws IOException {
        if (shards.isEmpty()) {
            throw new ArtifactException("no shard files to merge");
        }
        record Shard(Path path, NoveltyTableHeader header, MappedByteBuffer data) {
        }
        List<Shard> opened = new ArrayList<>();
        for (Path path : shards) {
            MappedByteBuffer data = NoveltyTable.map(path);
            NoveltyTableHeader header = NoveltyTableHeader.decode(data, path.toString());
            long expected = NoveltyTableHeader.SIZE + header.bodyBytes();
            if (data.capacity() != expected) {
                throw new ArtifactException(path + ": size " + data.capacity() + " bytes, expected " + expected);
            }
            if (NoveltyTable.checksum(data) != header.checksum()) {
                throw new ArtifactException(path + ": checksum mismatch (shard is corrupt)");
            }
            opened.add(new Shard(path, header, data));
        }
        opened.sort(Comparator.comparingLong(s -> s.header().rowStart()));
        NoveltyTableHeader first = opened.get(0).header();
        long next = 0;
        for (Shard shard : opened) {
            NoveltyTableHeader h = shard.header();
            if (h.clusterCount() != first.clusterCount() || h.historyLength() != first.historyLength()
                    || h.topN() != first.topN() || !h.fingerprintHex().equals(first.fingerprintHex())) {
                throw new ArtifactException(shard.path() + ": C/k/top-n/cluster set differ from " + opened.get(0).path());
            }
            if (h.rowStart() != next) {
                throw new ArtifactException(shard.path() + ": starts at row " + h.rowStart() + ", expected " + next
                        + " (missing or overlapping shard)");
            }
            next = h.rowEnd();
        }
        if (next != first.totalRows()) {
            throw new ArtifactException("shards end at row " + next + " of " + first.totalRows() + " (missing shard)");
        }
        NoveltyTableHeader header = new NoveltyTableHeader(first.clusterCount(), first.historyLength(), first.topN(),
                first.totalRows(), 0, first.totalRows(), first.clusterFingerprint(), 0L);
        CRC32C crc = new CRC32C();
        crc.update(header.encode().limit(NoveltyTableHeader.CHECKSUMMED_PREFIX));
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(header.encode(), 0);
            channel.position(NoveltyTableHeader.SIZE);
            for (Shard shard : opened) {
                ByteBuffer body = shard.data().slice(NoveltyTableHeader.SIZE,
                        shard.data().capacity() - NoveltyTableHeader.SIZE);
                crc.update(body.duplicate());
                while (body.hasRemaining()) {
                    channel.write(body);
                }
            }
            NoveltyTableHeader finished = header.withChecksum(crc.getValue());
            channel.write(finished.encode(), 0);
            channel.force(true);
            header = finished;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return header;
    }
}
