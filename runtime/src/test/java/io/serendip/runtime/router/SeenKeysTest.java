package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeenKeysTest {
    @Test
    void aKeySeenBeforeIsNeverNewAndFewNewKeysAreMissedAtCapacity() {
        int capacity = 1_000_000;
        SeenKeys seen = new SeenKeys(capacity);
        SplittableRandom random = new SplittableRandom(7);
        long[] keys = random.longs(capacity).toArray();
        long firstTimeNew = IntStream.range(0, capacity).filter(i -> seen.add(keys[i])).count();
        for (long key : keys) {
            assertThat(seen.add(key)).as("a key added before").isFalse();
        }
        long others = 100_000;
        long missed = random.longs(others).filter(key -> !seen.add(key)).count();
        // filled to capacity, then 10% more: the miss rate a router sees once it holds its capacity of users
        System.out.printf("SeenKeys: %.4f of keys missed while filling, %.4f of new keys missed past capacity (%d KiB)%n",
                1 - firstTimeNew / (double) capacity, missed / (double) others, seen.bytes() / 1024);
        assertThat(1 - firstTimeNew / (double) capacity).as("miss rate while filling to capacity").isLessThan(0.005);
        assertThat(missed / (double) others).as("miss rate of new keys past capacity").isLessThan(0.02);
        assertThat(seen.bytes()).as("12 bits a key").isBetween(1_400_000L, 1_500_000L);
    }

    @Test
    void aTinyFilterStillWorks() {
        SeenKeys seen = new SeenKeys(1);
        assertThat(seen.add(42)).isTrue();
        assertThat(seen.add(42)).isFalse();
    }
}
