package io.serendip.ml.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.HistoryRows;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.artifact.NoveltyTable;
import io.serendip.ml.artifact.NoveltyTableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoveltyTest {
    @TempDir
    Path dir;

    /** Items 0..(3*C-1); item i belongs to cluster i / 3. */
    static ClusterSet clusters(int c) {
        List<String> ids = new ArrayList<>();
        int[] assignment = new int[3 * c];
        List<List<String>> keywords = new ArrayList<>();
        for (int i = 0; i < 3 * c; i++) {
            ids.add("i" + i);
            assignment[i] = i / 3;
        }
        for (int k = 0; k < c; k++) {
            keywords.add(List.of("kw" + k));
        }
        return ClusterSet.of(ItemIndex.of(ids), List.of(new ClusterSet.Level(assignment, null, keywords)), -1);
    }

    @Test
    void curationCollapsesRepeatsAndKeepsDistinctWindows() {
        ClusterSet clusters = clusters(6);
        // clusters: 0 0 1 1 0 2 3 -> collapsed 0 1 0 2 3
        int[] items = {0, 1, 3, 4, 2, 6, 9};
        assertThat(TransitionCurator.clusterSequence(items, clusters)).containsExactly(0, 1, 0, 2, 3);
        List<int[]> examples = TransitionCurator.curate(List.of(items, new int[] {15}), clusters, 2);
        assertThat(examples).containsExactly(new int[] {1, 0, 2}, new int[] {0, 2, 3});
        assertThat(TransitionCurator.clusterSequences(List.of(new int[] {15}), clusters)).isEmpty();
    }

    @Test
    void frequencySourceRanksObservedTransitionsAndBacksOff() {
        List<int[]> sequences = List.of(new int[] {0, 1, 2}, new int[] {0, 1, 2}, new int[] {0, 1, 3}, new int[] {5, 1, 4},
                new int[] {5, 1, 4}, new int[] {5, 1, 4});
        TransitionFrequencySource source = TransitionFrequencySource.fit(sequences, 8, 2);
        assertThat(source.novelClusters(new int[] {0, 1}, 2)).containsExactly(2, 3);
        // (0,1) has only two continuations: back off to "after 1" (4 three times, 2 twice, 3 once)
        assertThat(source.novelClusters(new int[] {0, 1}, 3)).containsExactly(2, 3, 4);
        assertThat(source.novelClusters(new int[] {1}, 2)).containsExactly(4, 2);
        // global target frequency for the empty history: 1 (6 times), 4 (3), 2 (2), 3 (1)
        assertThat(source.novelClusters(new int[0], 4)).containsExactly(1, 4, 2, 3);
        // unseen history: backs off to global order, never returns the history, fills all slots
        int[] unseen = source.novelClusters(new int[] {7, 6}, 6);
        assertThat(unseen).hasSize(6).doesNotContain(7, 6).doesNotHaveDuplicates();
    }

    @Test
    void randomSourceIsValidAndReproducible() {
        RandomNoveltySource random = new RandomNoveltySource(10, 3);
        int[] picked = random.novelClusters(new int[] {2, 5}, 5);
        assertThat(picked).hasSize(5).doesNotContain(2, 5).doesNotHaveDuplicates();
        assertThat(Arrays.stream(picked).allMatch(c -> c >= 0 && c < 10)).isTrue();
        assertThat(random.novelClusters(new int[] {2, 5}, 5)).isEqualTo(picked);
        assertThat(random.novelClusters(new int[] {2, 5}, 50)).hasSize(8);
    }

    @Test
    void shardedPrecomputeMergesIntoTheSameTableAsOneRun() throws Exception {
        int c = 12;
        ClusterSet clusters = clusters(c);
        List<int[]> sequences = new ArrayList<>();
        Random random = new Random(4);
        for (int u = 0; u < 200; u++) {
            int[] s = new int[8];
            s[0] = random.nextInt(c);
            for (int i = 1; i < s.length; i++) {
                s[i] = random.nextDouble() < 0.7 ? (s[i - 1] + 1) % c : random.nextInt(c);
            }
            sequences.add(s);
        }
        TransitionFrequencySource frequency = TransitionFrequencySource.fit(sequences, c, 2);
        Path whole = dir.resolve("whole.bin");
        NoveltyPrecompute.Summary summary = NoveltyPrecompute.run(whole, clusters, 2, 4, frequency, frequency,
                Shard.ALL, null);
        assertThat(summary.rows()).isEqualTo(1 + 12 + 132);
        assertThat(summary.validRate()).isEqualTo(1.0);

        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path shard = dir.resolve("shard-" + i + ".bin");
            NoveltyPrecompute.run(shard, clusters, 2, 4, frequency, frequency, new Shard(i, 3), null);
            shards.add(shard);
        }
        Path merged = dir.resolve("merged.bin");
        NoveltyTableWriter.merge(shards, merged);
        assertThat(Files.readAllBytes(merged)).isEqualTo(Files.readAllBytes(whole));

        // more workers, same bytes (20,000+ rows: several blocks split over the threads)
        ClusterSet larger = clusters(150);
        TransitionFrequencySource largerSource = TransitionFrequencySource.fit(sequences, 150, 2);
        Path oneThread = dir.resolve("one.bin");
        Path threeThreads = dir.resolve("three.bin");
        NoveltyPrecompute.run(oneThread, larger, 2, 4, largerSource, largerSource, Shard.ALL, 1, null);
        NoveltyPrecompute.Summary parallel = NoveltyPrecompute.run(threeThreads, larger, 2, 4, largerSource, largerSource,
                Shard.ALL, 3, null);
        assertThat(parallel.rows()).isEqualTo(1 + 150 + 150 * 149);
        assertThat(Files.readAllBytes(threeThreads)).isEqualTo(Files.readAllBytes(oneThread));

        HistoryRows rows = new HistoryRows(c, 2);
        try (NoveltyTable table = NoveltyTable.open(merged, clusters)) {
            for (long row = 0; row < rows.totalRows(); row++) {
                int[] history = rows.historyOf(row);
                assertThat(table.novelClusters(history)).containsExactly(frequency.novelClusters(history, 4));
            }
            // the planted "+1" transition is the first novel cluster after (3, 4)
            assertThat(table.novelClusters(3, 4)[0]).isEqualTo(5);
        }
    }

    @Test
    void invalidProposalsAreDroppedCountedAndToppedUp() throws Exception {
        ClusterSet clusters = clusters(5);
        NoveltySource sloppy = new NoveltySource() {
            @Override
            public int[] novelClusters(int[] history, int n) {
                return new int[] {history[0], 99, -1, (history[1] + 1) % 5, (history[1] + 1) % 5};
            }

            @Override
            public String name() {
                return "sloppy";
            }
        };
        TransitionFrequencySource fallback = TransitionFrequencySource.fit(List.of(new int[] {0, 1, 2}), 5, 2);
        Path file = dir.resolve("t.bin");
        NoveltyPrecompute.Summary summary = NoveltyPrecompute.run(file, clusters, 2, 3, sloppy, fallback, Shard.ALL, null);
        assertThat(summary.proposals()).isEqualTo(20 * 5);
        // one valid proposal per history, except the 5 histories where h1 + 1 == h0 (then none)
        assertThat(summary.validRate()).isCloseTo(15 / 100.0, org.assertj.core.data.Offset.offset(1e-9));
        try (NoveltyTable table = NoveltyTable.open(file)) {
            int[] row = table.novelClusters(0, 1);
            assertThat(row).hasSize(3).doesNotContain(0, 1).doesNotHaveDuplicates();
            assertThat(row[0]).isEqualTo(2);
        }
    }

    @Test
    void generalHistoryLengthThreeRoundTrips() throws Exception {
        int c = 7;
        ClusterSet clusters = clusters(c);
        List<int[]> sequences = List.of(new int[] {0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3}, new int[] {3, 1, 4, 1, 5, 2, 6});
        TransitionFrequencySource source = TransitionFrequencySource.fit(sequences, c, 3);
        Path file = dir.resolve("k3.bin");
        NoveltyPrecompute.run(file, clusters, 3, 2, source, source, Shard.ALL, null);
        HistoryRows rows = new HistoryRows(c, 3);
        assertThat(rows.totalRows()).isEqualTo(1 + 7 + 42 + 210);
        try (NoveltyTable table = NoveltyTable.open(file, clusters)) {
            assertThat(table.historyLength()).isEqualTo(3);
            // (0,1,2) was followed by 3 twice
            assertThat(table.novelClusters(0, 1, 2)[0]).isEqualTo(3);
            // a raw history reduces to its last three distinct clusters
            assertThat(table.novelClusters(5, 0, 0, 1, 2, 2)).containsExactly(table.novelClusters(0, 1, 2));
            for (long row = 0; row < rows.totalRows(); row++) {
                int[] history = rows.historyOf(row);
                int[] novel = table.novelClusters(history);
                assertThat(novel).hasSize(2).doesNotHaveDuplicates();
                assertThat(java.util.Arrays.stream(novel).noneMatch(n -> java.util.Arrays.stream(history).anyMatch(h -> h == n)))
                        .isTrue();
            }
        }
    }

    @Test
    void shardSyntaxIsValidated() {
        assertThat(Shard.parse("2/4")).isEqualTo(new Shard(2, 4));
        assertThat(new Shard(3, 4).end(10)).isEqualTo(10);
        assertThat(new Shard(1, 4).start(10)).isEqualTo(2);
        assertThatThrownBy(() -> Shard.parse("4/4")).hasMessageContaining("0 <= i < n");
        assertThatThrownBy(() -> Shard.parse("x")).hasMessageContaining("i/n");
        long covered = 0;
        for (int i = 0; i < 7; i++) {
            covered += new Shard(i, 7).end(1001) - new Shard(i, 7).start(1001);
        }
        assertThat(covered).isEqualTo(1001);
    }
}
