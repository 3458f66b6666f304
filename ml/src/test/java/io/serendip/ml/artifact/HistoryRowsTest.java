package io.serendip.ml.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryRowsTest {
    @Test
    void everyRowMapsToADistinctHistoryAndBack() {
        for (int k = 1; k <= 3; k++) {
            HistoryRows rows = new HistoryRows(6, k);
            Set<String> seen = new HashSet<>();
            for (long row = 0; row < rows.totalRows(); row++) {
                int[] history = rows.historyOf(row);
                assertThat(history.length).isLessThanOrEqualTo(k);
                assertThat(java.util.Arrays.stream(history).distinct().count()).isEqualTo(history.length);
                assertThat(rows.rowOf(history)).isEqualTo(row);
                assertThat(seen.add(java.util.Arrays.toString(history))).isTrue();
            }
        }
        // k = 2, C = 6: 1 + 6 + 30 rows
        assertThat(new HistoryRows(6, 2).totalRows()).isEqualTo(37);
    }

    @Test
    void refusesDimensionsWhoseRowCountOverflowsBeforeAllocatingAnything() {
        assertThat(new HistoryRows(20, 20).totalRows()).isPositive();
        assertThatThrownBy(() -> new HistoryRows(21, 21)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new HistoryRows(Integer.MAX_VALUE, Integer.MAX_VALUE - 2))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("overflows");
    }

    @Test
    void mainSectionIsOrderedLexicographically() {
        HistoryRows rows = new HistoryRows(4, 2);
        assertThat(rows.historyOf(rows.sectionStart(2))).containsExactly(0, 1);
        assertThat(rows.historyOf(rows.sectionStart(2) + 1)).containsExactly(0, 2);
        assertThat(rows.historyOf(rows.sectionStart(2) + 3)).containsExactly(1, 0);
        assertThat(rows.historyOf(rows.totalRows() - 1)).containsExactly(3, 2);
    }

    @Test
    void reducesToLastDistinctClusters() {
        HistoryRows rows = new HistoryRows(10, 2);
        assertThat(rows.lastDistinct(new int[] {1, 2, 3, 3, 2, 2})).containsExactly(3, 2);
        assertThat(rows.lastDistinct(new int[] {4, 4, 4})).containsExactly(4);
        assertThat(rows.lastDistinct(new int[] {})).isEmpty();
        assertThatThrownBy(() -> rows.lastDistinct(new int[] {1, 10})).hasMessageContaining("10");
        assertThatThrownBy(() -> rows.lastDistinct(new int[] {-1})).hasMessageContaining("-1");
    }
}
