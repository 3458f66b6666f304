package io.serendip.ml.novelty;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlendedNoveltySourceTest {
    private static final int CLUSTERS = 6;

    /** (0, 1) -> 2 is counted three times, (3, 4) -> 5 once. */
    private static final TransitionFrequencySource COUNTS = TransitionFrequencySource.fit(
            List.of(new int[] {0, 1, 2}, new int[] {0, 1, 2}, new int[] {0, 1, 2}, new int[] {3, 4, 5}), CLUSTERS, 2);

    /** Stands for the learned model: the highest clusters outside the history; records each batch it is asked. */
    private static final class Highest implements NoveltySource {
        final List<List<int[]>> batches = new ArrayList<>();

        @Override
        public int[] novelClusters(int[] history, int n) {
            List<Integer> out = new ArrayList<>();
            for (int c = CLUSTERS - 1; c >= 0 && out.size() < n; c--) {
                final int cluster = c;
                if (java.util.Arrays.stream(history).noneMatch(h -> h == cluster)) {
                    out.add(c);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public int[][] novelClusters(List<int[]> histories, int n) {
            batches.add(histories);
            return NoveltySource.super.novelClusters(histories, n);
        }

        @Override
        public String name() {
            return "highest";
        }
    }

    @Test
    void observationsCountTransitionsAfterTheWholeHistoryOnly() {
        assertThat(COUNTS.observations(new int[] {0, 1})).isEqualTo(3);
        assertThat(COUNTS.observations(new int[] {3, 4})).isEqualTo(1);
        assertThat(COUNTS.observations(new int[] {1, 0})).isZero();
        assertThat(COUNTS.observations(new int[] {1})).isZero();
    }

    @Test
    void denseHistoriesGoToTheCountsAndTheRestToTheModelInOneBatch() {
        Highest model = new Highest();
        BlendedNoveltySource blend = new BlendedNoveltySource(model, COUNTS, 2);
        int[][] answers = blend.novelClusters(List.of(new int[] {0, 1}, new int[] {3, 4}, new int[] {1}), 2);
        assertThat(answers[0]).startsWith(2);                 // counted three times: the counts answer
        assertThat(answers[1]).containsExactly(5, 2);          // counted once: the model answers
        assertThat(answers[2]).containsExactly(5, 4);          // a short history has no full-length count
        assertThat(model.batches).hasSize(1);
        assertThat(model.batches.get(0)).hasSize(2);
        assertThat(blend.novelClusters(new int[] {0, 1}, 1)).containsExactly(2);
        assertThat(blend.name()).contains("highest", "2", "transition-frequency");
    }

    @Test
    void aThresholdBelowOneIsRefused() {
        assertThatThrownBy(() -> new BlendedNoveltySource(new Highest(), COUNTS, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
