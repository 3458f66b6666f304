package io.serendip.ml.eval;

import io.serendip.ml.novelty.NoveltySource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeldOutNoveltyTest {

    /** Always proposes one cluster, whatever the history. */
    private record Fixed(String name, int cluster) implements NoveltySource {
        @Override
        public int[] novelClusters(int[] history, int n) {
            return new int[] {cluster};
        }
    }

    @Test
    void everyPointWithKDistinctClustersBeforeItIsACaseWithWhatCameBeforeAndAfter() {
        List<HeldOutNovelty.Case> cases = HeldOutNovelty.cases(List.of(new int[] {0, 1, 2, 0, 3}, new int[] {4}), 2);
        assertThat(cases).hasSize(3);
        assertThat(cases.get(0).history()).containsExactly(0, 1);
        assertThat(cases.get(0).before()).containsExactly(0, 1);
        assertThat(cases.get(0).later()).containsExactly(0, 2, 3);
        assertThat(cases.get(2).history()).containsExactly(2, 0);
        assertThat(cases.get(2).before()).containsExactly(0, 1, 2);
        assertThat(cases.get(2).later()).containsExactly(3);
    }

    @Test
    void recallCountsLaterEngagementAndNewInterestOnlyWhatWasNeverShownBefore() {
        // user 0: 0 1 2 0 3 -> cases [0,1] [1,2] [2,0]; user 1: 5 6 0 -> case [5,6]
        List<HeldOutNovelty.Case> cases = HeldOutNovelty.cases(List.of(new int[] {0, 1, 2, 0, 3},
                new int[] {5, 6, 0}), 2);
        NoveltySource three = new Fixed("three", 3);
        NoveltySource zero = new Fixed("zero", 0);
        HeldOutNovelty.Report report = HeldOutNovelty.compare(cases, 7, List.of(three, zero), 0, 300, 1);
        assertThat(report.users()).isEqualTo(2);
        assertThat(report.cases()).isEqualTo(4);
        HeldOutNovelty.SourceResult r3 = report.sources().get(0);
        // 3 comes later in all three cases of user 0, never for user 1; it was never shown before
        assertThat(r3.novelRecall().mean()).isEqualTo(0.75);
        assertThat(r3.newInterestRecall().mean()).isEqualTo(0.75);
        assertThat(r3.validRate()).isEqualTo(1.0);
        assertThat(r3.novelRecallRatio()).isNull();
        HeldOutNovelty.SourceResult r0 = report.sources().get(1);
        // 0 is in the histories [0,1] and [2,0] (invalid there); after [1,2] it comes later but was shown before;
        // after [5,6] it comes later and is new
        assertThat(r0.validRate()).isEqualTo(0.5);
        assertThat(r0.novelRecall().mean()).isEqualTo(0.5);
        assertThat(r0.newInterestRecall().mean()).isEqualTo(0.25);
        assertThat(r0.newInterestRatio().mean()).isCloseTo(0.25 / 0.75, within(1e-12));
        for (HeldOutNovelty.SourceResult r : report.sources()) {
            assertThat(r.novelRecall().low()).isLessThanOrEqualTo(r.novelRecall().mean());
            assertThat(r.novelRecall().high()).isGreaterThanOrEqualTo(r.novelRecall().mean());
        }
    }

    @Test
    void theUserBootstrapIntervalCoversTheTrueRateAboutNineteenTimesInTwenty() {
        // Users whose cases share a per-user hit rate (correlated cases): each hits its later cluster with a rate
        // drawn around 0.3. A source that always names cluster 9 hits exactly where 9 comes later.
        Random random = new Random(5);
        int covered = 0;
        int trials = 200;
        for (int trial = 0; trial < trials; trial++) {
            List<int[]> sequences = new ArrayList<>();
            for (int u = 0; u < 60; u++) {
                double rate = random.nextDouble() < 0.5 ? 0.1 : 0.5;
                int length = 3 + random.nextInt(8);
                int[] sequence = new int[length + 2];
                sequence[0] = 1;
                sequence[1] = 2;
                boolean hit = random.nextDouble() < rate;
                for (int i = 2; i < sequence.length; i++) {
                    sequence[i] = i % 2 == 0 ? 3 : 4;
                }
                if (hit) {
                    sequence[sequence.length - 1] = 9;
                }
                sequences.add(sequence);
            }
            List<HeldOutNovelty.Case> cases = HeldOutNovelty.cases(sequences, 2);
            HeldOutNovelty.Report report = HeldOutNovelty.compare(cases, 10,
                    List.<NoveltySource>of(new Fixed("nine", 9)), 0, 400, trial);
            // a user's cases all precede the 9 when it hits, none otherwise; the rate is independent of the case
            // count, so the population share of cases that hit is the mean rate, 0.3
            double expected = 0.3;
            HeldOutNovelty.Interval interval = report.sources().get(0).novelRecall();
            covered += interval.low() <= expected && expected <= interval.high() ? 1 : 0;
        }
        assertThat(covered / (double) trials).isBetween(0.88, 0.99);
    }
}
