package io.serendip.runtime.recommender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SlateBuilderTest {

    @Property
    void topKMatchesAFullSort(@ForAll @Size(min = 0, max = 60) List<@FloatRange(min = -5, max = 5) Float> values,
                              @ForAll @IntRange(min = 0, max = 70) int k,
                              @ForAll @Size(max = 20) Set<@IntRange(min = 0, max = 59) Integer> excluded) {
        float[] scores = new float[values.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = values.get(i);
        }
        BitSet ex = new BitSet();
        excluded.forEach(ex::set);
        int[] expected = IntStream.range(0, scores.length).filter(i -> !ex.get(i)).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        assertThat(SlateBuilder.topK(scores, k, ex)).containsExactly(expected);
    }

    @Test
    void topKOverCandidatesReturnsItemIdsAndBreaksTiesByLowerId() {
        int[] items = {40, 10, 30, 20};
        float[] scores = {1f, 2f, 2f, 0.5f};
        BitSet excluded = new BitSet();
        assertThat(SlateBuilder.topK(items, scores, 3, excluded)).containsExactly(10, 30, 40);
        excluded.set(30);
        assertThat(SlateBuilder.topK(items, scores, 3, excluded)).containsExactly(10, 40, 20);
    }

    @Property
    void explorationPositionsAreDistinctAndInsideTheSlate(@ForAll @IntRange(min = 1, max = 200) int k,
                                                         @ForAll @IntRange(min = 0, max = 250) int slots) {
        int[] positions = SlateBuilder.explorationPositions(k, slots);
        assertThat(positions).hasSize(Math.min(slots, k));
        assertThat(IntStream.of(positions).distinct().count()).isEqualTo(positions.length);
        assertThat(IntStream.of(positions).allMatch(p -> p >= 0 && p < k)).isTrue();
    }

    @Test
    void explorationSlotsAreSpreadEvenly() {
        assertThat(SlateBuilder.explorationPositions(10, 2)).containsExactly(3, 6);
        assertThat(SlateBuilder.explorationPositions(10, 1)).containsExactly(5);
        assertThat(SlateBuilder.explorationPositions(4, 4)).containsExactly(0, 1, 2, 3);
    }

    @Property
    void pickExplorationRoundRobinsOverClustersAndStaysInsideThem(
            @ForAll @IntRange(min = 1, max = 5) int clusterCount,
            @ForAll @IntRange(min = 0, max = 12) int slots,
            @ForAll @Size(max = 10) Set<@IntRange(min = 0, max = 49) Integer> excluded) {
        List<SlateBuilder.ClusterCandidates> clusters = new ArrayList<>();
        for (int c = 0; c < clusterCount; c++) {
            int size = 1 + (c * 3) % 7;
            int[] items = new int[size];
            float[] scores = new float[size];
            for (int i = 0; i < size; i++) {
                items[i] = c * 10 + i;
                scores[i] = (float) Math.sin(items[i]);
            }
            clusters.add(new SlateBuilder.ClusterCandidates(c, items, scores));
        }
        BitSet ex = new BitSet();
        excluded.forEach(ex::set);
        List<SlateBuilder.Entry> picked = SlateBuilder.pickExploration(clusters, slots, ex);
        int available = clusters.stream().mapToInt(c -> (int) IntStream.of(c.items()).filter(i -> !ex.get(i)).count()).sum();
        assertThat(picked).hasSize(Math.min(slots, available));
        Set<Integer> seen = new HashSet<>();
        for (SlateBuilder.Entry e : picked) {
            assertThat(seen.add(e.item())).isTrue();
            assertThat(ex.get(e.item())).isFalse();
            assertThat(e.item() / 10).isEqualTo(e.cluster());
        }
        // Round robin: no cluster gets a second item while another with items left has none.
        int[] perCluster = new int[clusterCount];
        picked.forEach(e -> perCluster[e.cluster()]++);
        for (int c = 0; c < clusterCount; c++) {
            long left = IntStream.of(clusters.get(c).items()).filter(i -> !ex.get(i)).count() - perCluster[c];
            if (left > 0) {
                for (int other = 0; other < clusterCount; other++) {
                    assertThat(perCluster[other]).isLessThanOrEqualTo(perCluster[c] + 1);
                }
            }
        }
    }

    @Test
    void interleavePlacesExplorationAtSpreadPositionsAndFillsGaps() {
        List<SlateBuilder.Entry> exploit = List.of(e(1), e(2), e(3), e(4), e(5), e(6), e(7), e(8));
        List<SlateBuilder.Entry> explore = List.of(new SlateBuilder.Entry(50, 0f, 5), new SlateBuilder.Entry(60, 0f, 6));
        List<SlateBuilder.Entry> slate = SlateBuilder.interleave(exploit, explore, 10);
        assertThat(slate).extracting(SlateBuilder.Entry::item).containsExactly(1, 2, 3, 50, 4, 5, 60, 6, 7, 8);
        // Too few exploitation items: exploration fills the rest.
        assertThat(SlateBuilder.interleave(List.of(e(1)), explore, 5)).extracting(SlateBuilder.Entry::item)
                .containsExactly(1, 50, 60);
        // Duplicates are dropped.
        assertThat(SlateBuilder.interleave(List.of(e(1), e(50), e(2)), explore, 4)).extracting(SlateBuilder.Entry::item)
                .containsExactly(1, 50, 60, 2);
    }

    private static SlateBuilder.Entry e(int item) {
        return new SlateBuilder.Entry(item, 1f / item, -1);
    }
}
