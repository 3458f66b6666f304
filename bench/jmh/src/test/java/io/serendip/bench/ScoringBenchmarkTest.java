package io.serendip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.runtime.recommender.SlateBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringBenchmarkTest {
    @TempDir
    static Path cache;
    private static ScoringBenchmark bench;

    @BeforeAll
    static void setUp() {
        SmallFixture.useCache(cache);
        bench = new ScoringBenchmark();
        bench.k = 10;
        bench.spec = SmallFixture.SPEC;
        bench.setUp();
    }

    @AfterAll
    static void tearDown() {
        bench.tearDown();
    }

    @Test
    void novelClustersHoldFivePercentOfTheCatalog() {
        assertThat(bench.restrictedShare).isEqualTo(0.05);
        for (ScoringBenchmark.User user : bench.users) {
            assertThat(user.novel()).hasSize(10).doesNotHaveDuplicates();
        }
    }

    @Test
    void bothPathsReturnAFullSlateOfUnseenItemsAndRestrictedStaysInTheNovelClusters() {
        for (int u = 0; u < 20; u++) {
            ScoringBenchmark.User user = bench.users[u];
            bench.next = u;
            int[] full = bench.fullCatalog();
            bench.next = u;
            List<SlateBuilder.Entry> restricted = bench.restricted();

            assertThat(full).hasSize(10).doesNotHaveDuplicates();
            assertThat(IntStream.of(full).noneMatch(user.seen()::get)).isTrue();
            assertThat(restricted).hasSize(10);
            for (SlateBuilder.Entry entry : restricted) {
                assertThat(user.seen().get(entry.item())).isFalse();
                assertThat(user.novel()).contains(entry.cluster());
                assertThat(entry.item() % SmallFixture.SPEC.clusters()).isEqualTo(entry.cluster());
            }
        }
    }

    @Test
    void secondLoadReusesTheCachedFixture() {
        Path dir = ServingFixture.ensure(SmallFixture.SPEC, cache, message -> {
            throw new AssertionError("fixture rebuilt: " + message);
        });
        assertThat(dir.resolve("recommender/manifest.json")).exists();
        assertThat(dir.resolve("novelty.bin")).exists();
    }
}
