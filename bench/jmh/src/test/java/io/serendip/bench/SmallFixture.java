package io.serendip.bench;

import java.nio.file.Path;

/** A small benchmark fixture for tests: 2,000 items in 200 clusters of 10, so 10 novel clusters = 5% of the items. */
public final class SmallFixture {
    public static final ServingFixture.Spec SPEC = new ServingFixture.Spec(2_000, 200, 10, 300, 1, 7);

    private SmallFixture() {
    }

    /** Points the fixture cache at {@code dir} (the benchmarks' states read it in their setup). */
    public static void useCache(Path dir) {
        System.setProperty(ServingFixture.DIR_PROPERTY, dir.toString());
    }
}
