package io.serendip.runtime.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A set of 64-bit keys that answers "new?" with no false "yes" and a small share of false "no": a blocked Bloom filter
 * (Putze, Sanders, Singler 2007), all of a key's bits in one 64-byte cache line, so an insert costs one cache miss
 * where a classic filter of this size costs one per bit. The keys are already uniform hashes (the assignment's
 * SHA-256 prefix), so their bits are used as they are, without hashing again. Lock-free: bits are set with an
 * atomic OR, and two threads inserting the same new key may both see it as new (each once).
 */
final class SeenKeys {
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Bits per key; with {@link #BITS_PER_EXPECTED_KEY} bits of memory per key the miss rate is about 1%. */
    static final int BITS_SET = 7;
    static final int BITS_PER_EXPECTED_KEY = 12;
    private static final int WORDS_PER_BLOCK = 8; // 512 bits: a cache line

    private final long[] words;
    private final int blocks;

    SeenKeys(int expectedKeys) {
        this.blocks = Math.max(1, (int) ((long) expectedKeys * BITS_PER_EXPECTED_KEY / 512));
        this.words = new long[blocks * WORDS_PER_BLOCK];
    }

    /** Adds the key; true when it was not there before (false for a share of new keys, the filter's miss rate). */
    boolean add(long key) {
        int base = (int) ((key >>> 32) * blocks >>> 32) * WORDS_PER_BLOCK; // the high half picks the block
        // the low half, independent of the high one in a uniform hash, places the bits: double hashing in the block
        int low = (int) key;
        int first = low & 511;
        int step = (low >>> 9) & 511 | 1; // odd: the probes of a key never repeat a position
        boolean added = false;
        for (int i = 0; i < BITS_SET; i++) {
            int bit = (first + i * step) & 511;
            long mask = 1L << bit; // shifts by the low 6 bits: the word's bit
            long before = (long) WORDS.getAndBitwiseOr(words, base + (bit >>> 6), mask);
            added |= (before & mask) == 0;
        }
        return added;
    }

    /** Memory held, in bytes. */
    long bytes() {
        return (long) words.length * Long.BYTES;
    }
}
