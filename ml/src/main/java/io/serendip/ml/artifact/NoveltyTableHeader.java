package io.serendip.ml.artifact;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The fixed 96-byte little-endian header of a novelty table file (or of one shard of it).
 * See {@code docs/formats.md}.
 *
 * <pre>
 *  0  8 bytes  magic "SRNDNOVT"
 *  8  int32    format version (1)
 * 12  int32    cluster count C
 * 16  int32    history length k
 * 20  int32    top-n per row
 * 24  int64    total rows of the complete table (sum over j=0..k of C!/(C-j)!)
 * 32  int64    first row held by this file
 * 40  int64    end row (exclusive) held by this file
 * 48  32 bytes sha256 fingerprint of the cluster set
 * 80  int64    CRC32C of header bytes 0..79 followed by the body
 * 88  8 bytes  reserved, zero
 * 96  body     (end - first) rows of top-n int32 cluster ids, -1 padding
 * </pre>
 */
public record NoveltyTableHeader(int clusterCount, int historyLength, int topN, long totalRows, long rowStart,
                                 long rowEnd, byte[] clusterFingerprint, long checksum) {

    public static final int SIZE = 96;
    public static final int CHECKSUMMED_PREFIX = 80;
    public static final int FORMAT_VERSION = 1;
    static final byte[] MAGIC = "SRNDNOVT".getBytes(StandardCharsets.US_ASCII);

    public NoveltyTableHeader {
        if (clusterFingerprint == null || clusterFingerprint.length != 32) {
            throw new IllegalArgumentException("cluster fingerprint must be 32 bytes");
        }
    }

    /** Fingerprint bytes from a hex sha256 such as {@link ClusterSet#fingerprint()}. */
    public static byte[] fingerprintBytes(String hexSha256) {
        return HexFormat.of().parseHex(hexSha256);
    }

    public long bodyBytes() {
        return (rowEnd - rowStart) * topN * (long) Integer.BYTES;
    }

    public boolean isComplete() {
        return rowStart == 0 && rowEnd == totalRows;
    }

    public NoveltyTableHeader withChecksum(long newChecksum) {
        return new NoveltyTableHeader(clusterCount, historyLength, topN, totalRows, rowStart, rowEnd,
                clusterFingerprint, newChecksum);
    }

    public String fingerprintHex() {
        return HexFormat.of().formatHex(clusterFingerprint);
    }

    public ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).putInt(FORMAT_VERSION).putInt(clusterCount).putInt(historyLength).putInt(topN)
                .putLong(totalRows).putLong(rowStart).putLong(rowEnd).put(clusterFingerprint).putLong(checksum)
                .putLong(0L);
        return buffer.flip();
    }

    /** Decodes and validates a header; {@code source} names the file in error messages. */
    public static NoveltyTableHeader decode(ByteBuffer raw, String source) {
        ByteBuffer buffer = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < SIZE) {
            throw new ArtifactException(source + ": truncated header (" + buffer.remaining() + " of " + SIZE + " bytes)");
        }
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new ArtifactException(source + ": not a novelty table (bad magic)");
        }
        int version = buffer.getInt();
        if (version != FORMAT_VERSION) {
            throw new ArtifactException(source + ": unsupported format version " + version + " (expected "
                    + FORMAT_VERSION + ")");
        }
        int clusterCount = buffer.getInt();
        int historyLength = buffer.getInt();
        int topN = buffer.getInt();
        long totalRows = buffer.getLong();
        long rowStart = buffer.getLong();
        long rowEnd = buffer.getLong();
        byte[] fingerprint = new byte[32];
        buffer.get(fingerprint);
        long checksum = buffer.getLong();
        if (clusterCount < 1 || historyLength < 1 || historyLength > clusterCount) {
            throw new ArtifactException(source + ": invalid cluster count " + clusterCount + " / history length "
                    + historyLength);
        }
        if (topN < 1) {
            throw new ArtifactException(source + ": invalid top-n " + topN);
        }
        long expectedRows;
        try {
            expectedRows = new HistoryRows(clusterCount, historyLength).totalRows();
        } catch (ArithmeticException e) {
            throw new ArtifactException(source + ": table dimensions overflow", e);
        }
        if (totalRows != expectedRows) {
            throw new ArtifactException(source + ": header says " + totalRows + " rows but C=" + clusterCount
                    + ", k=" + historyLength + " needs " + expectedRows);
        }
        if (rowStart < 0 || rowEnd < rowStart || rowEnd > totalRows) {
            throw new ArtifactException(source + ": invalid row range " + rowStart + ".." + rowEnd);
        }
        return new NoveltyTableHeader(clusterCount, historyLength, topN, totalRows, rowStart, rowEnd, fingerprint,
                checksum);
    }
}
