package io.serendip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.ArmSettings;
import io.serendip.runtime.recommender.ClusterHistory;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoveltyAndAssignmentBenchmarkTest {

    @Test
    void lookupsReturnTopTenClustersOfTheTable() throws Exception {
        NoveltyLookupBenchmark bench = new NoveltyLookupBenchmark();
        bench.clusters = 50;
        bench.setUp();
        try {
            for (int i = 0; i < 100; i++) {
                int[] recent = ClusterHistory.lastDistinct(bench.histories[i], ServingFixture.HISTORY_LENGTH);
                int[] novel = bench.lookup();
                assertThat(novel).hasSize(10).doesNotHaveDuplicates().doesNotContain(recent);
                assertThat(IntStream.of(novel).allMatch(c -> c >= 0 && c < 50)).isTrue();
            }
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void assignmentSplitsKeysAboutEvenly() {
        AssignmentBenchmark bench = new AssignmentBenchmark();
        bench.setUp();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4096; i++) {
            ArmSettings arm = bench.assign();
            counts.merge(arm.name(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("control", "explore");
        assertThat(counts.get("control")).isBetween(1848, 2248);
    }
}
