package io.serendip.ml.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemVectorsTest {

    /** Every dimension, including those that leave lanes over after the groups of four. */
    @ParameterizedTest(name = "d = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 63, 64, 65})
    void scoresAreTheDotProductsOfStateAndItemVectors(int dimension) {
        Random random = new Random(dimension);
        int items = 37;
        float[] values = new float[items * dimension];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        float[] state = new float[dimension];
        for (int k = 0; k < dimension; k++) {
            state[k] = (float) random.nextGaussian();
        }
        ItemVectors vectors = new ItemVectors(items, dimension, values);

        float[] all = vectors.scoreAll(state);
        float[] some = vectors.scoreCandidates(state, new int[] {36, 0, 5});
        assertThat(all).hasSize(items);
        for (int item = 0; item < items; item++) {
            double expected = 0;
            for (int k = 0; k < dimension; k++) {
                expected += (double) state[k] * values[item * dimension + k];
            }
            assertThat((double) all[item]).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected)) * dimension));
        }
        assertThat(some).containsExactly(all[36], all[0], all[5]);
    }

    @Test
    void groupedScoresAreTheCandidateScoresOfEachGroupInItsOrder() {
        Random random = new Random(3);
        int items = 50;
        int dimension = 6;
        float[] values = new float[items * dimension];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        float[] state = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f};
        ItemVectors vectors = new ItemVectors(items, dimension, values);
        int[][] groups = {{49, 3, 17}, {}, {0}, {8, 9, 10, 11, 12, 2}};

        GroupScorer scorer = vectors.grouped(groups);

        assertThat(scorer.groupCount()).isEqualTo(4);
        for (int g = 0; g < groups.length; g++) {
            assertThat(scorer.scoreGroup(state, g)).as("group %d", g).containsExactly(vectors.scoreCandidates(state, groups[g]));
        }
        assertThatThrownBy(() -> vectors.grouped(new int[][] {{1}, {50}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("group 1 item 50 is outside 0..49");
        assertThatThrownBy(() -> scorer.scoreGroup(new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("userState has length 2, expected 6");
    }

    @Test
    void aStateOfTheWrongLengthOrAnUnknownCandidateIsRefused() {
        int dimension = 4;
        ItemVectors vectors = new ItemVectors(2, dimension, new float[2 * dimension]);
        assertThatThrownBy(() -> vectors.scoreAll(new float[dimension + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("userState has length 5, expected 4");
        assertThatThrownBy(() -> vectors.scoreCandidates(new float[dimension], new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("candidates[0] = 2 is outside 0..1");
    }
}
