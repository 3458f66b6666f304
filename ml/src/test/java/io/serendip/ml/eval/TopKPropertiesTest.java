package io.serendip.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TopKPropertiesTest {
    @Property(tries = 200)
    void topKEqualsTheHeadOfAFullSort(@ForAll @Size(min = 1, max = 60) int[] raw, @ForAll @IntRange(max = 70) int k,
                                      @ForAll @IntRange(max = 9) int excludeEvery) {
        float[] scores = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            scores[i] = raw[i] % 7; // few distinct values: many ties
        }
        boolean[] excluded = new boolean[raw.length];
        for (int i = 0; excludeEvery > 0 && i < raw.length; i += excludeEvery) {
            excluded[i] = true;
        }
        int[] expected = IntStream.range(0, raw.length).filter(i -> !excluded[i]).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        assertThat(TopK.indices(scores, k, excluded)).containsExactly(expected);
    }

    @Property(tries = 200)
    void rankIsTheNumberOfItemsThatBeatOrTieTheTarget(@ForAll @Size(min = 2, max = 50) int[] raw,
                                                      @ForAll @IntRange(max = 49) int targetSeed) {
        float[] scores = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            scores[i] = raw[i] % 5;
        }
        int target = targetSeed % raw.length;
        int rank = RankingMetrics.rank(scores, target, new int[0]);
        int[] slate = TopK.indices(scores, rank + 1, (boolean[]) null);
        // with ties counted against the target, it is inside the top (rank + 1) slate
        assertThat(Arrays.stream(slate).anyMatch(i -> i == target)).isTrue();
        long better = IntStream.range(0, raw.length).filter(i -> scores[i] > scores[target]).count();
        assertThat(rank).isGreaterThanOrEqualTo((int) better);
    }
}
