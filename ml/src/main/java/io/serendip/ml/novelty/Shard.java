package io.serendip.ml.novelty;

/** One of {@code count} equal slices of the table rows, written {@code index/count} (0-based index). */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + index + "/" + count);
        }
    }

    /** Parses {@code "i/n"}. */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard must look like i/n (e.g. 0/4), got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must look like i/n (e.g. 0/4), got '" + text + "'");
        }
    }

    /** First row of this shard among {@code totalRows}. */
    public long start(long totalRows) {
        return java.math.BigInteger.valueOf(totalRows).multiply(java.math.BigInteger.valueOf(index))
                .divide(java.math.BigInteger.valueOf(count)).longValueExact();
    }

    /** End row (exclusive) of this shard. */
    public long end(long totalRows) {
        return index + 1 == count ? totalRows : new Shard(index + 1, count).start(totalRows);
    }
}
