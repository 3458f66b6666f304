package io.serendip.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    @Test
    void ranksAgainstNonExcludedItemsWithTiesAgainstTheTarget() {
        float[] scores = {0.9f, 0.5f, 0.7f, 0.5f, 0.1f};
        assertThat(RankingMetrics.rank(scores, 0, new int[0])).isEqualTo(0);
        assertThat(RankingMetrics.rank(scores, 2, new int[0])).isEqualTo(1);
        assertThat(RankingMetrics.rank(scores, 2, new int[] {0})).isEqualTo(0);
        assertThat(RankingMetrics.rank(scores, 1, new int[0])).isEqualTo(3); // 0.9, 0.7 and the tie
        assertThat(RankingMetrics.rank(scores, 1, new int[] {1, 3})).isEqualTo(2); // target itself never excluded
        assertThat(RankingMetrics.rank(new float[] {Float.NaN, 1f, 2f}, 0, new int[] {2})).isEqualTo(1);
    }

    @Test
    void hitAndNdcgFollowTheirDefinitions() {
        assertThat(RankingMetrics.ndcg(0, 10)).isEqualTo(1.0);
        assertThat(RankingMetrics.ndcg(1, 10)).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
        assertThat(RankingMetrics.ndcg(10, 10)).isZero();
        assertThat(RankingMetrics.hit(9, 10)).isEqualTo(1.0);
        assertThat(RankingMetrics.hit(10, 10)).isZero();

        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(10, 20);
        acc.add(0);
        acc.add(15);
        acc.add(30);
        assertThat(acc.hitRate(10)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(acc.hitRate(20)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(acc.ndcg(20)).isCloseTo((1 + 1 / (Math.log(17) / Math.log(2))) / 3, within(1e-12));
        assertThat(acc.result()).containsKeys("HR@10", "NDCG@10", "HR@20", "NDCG@20");
    }

    @Test
    void leaveOneOutHoldsOutTheLastTwoItems() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(List.of(new int[] {1, 2, 3, 4}, new int[] {5, 6}), 7, 3);
        assertThat(split.users()).hasSize(1);
        LeaveOneOutSplit.UserSplit user = split.users().get(0);
        assertThat(user.train()).containsExactly(1, 2);
        assertThat(user.validTarget()).isEqualTo(3);
        assertThat(user.testTarget()).isEqualTo(4);
        assertThat(user.testHistory()).containsExactly(1, 2, 3);
        assertThat(split.trainingSequences()).containsExactly(new int[] {1, 2}, new int[] {5, 6});
        assertThat(split.trainingSequencesWithValidation()).containsExactly(new int[] {1, 2, 3}, new int[] {5, 6});
    }
}
