package io.serendip.ml.interest;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConstrainedDecoderPropertiesTest {

    private static final int VOCABULARY = 14;

    /** Random descriptions over a tiny vocabulary: shared prefixes, prefixes of each other and duplicates happen. */
    private static List<int[]> randomDescriptions(Random random, int clusters) {
        List<int[]> descriptions = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            if (c > 0 && random.nextInt(6) == 0) {
                descriptions.add(descriptions.get(random.nextInt(c)).clone());
                continue;
            }
            int[] tokens = new int[1 + random.nextInt(4)];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = DescriptionVocabulary.EOS + 1 + random.nextInt(VOCABULARY - DescriptionVocabulary.EOS - 1);
            }
            descriptions.add(tokens);
        }
        return descriptions;
    }

    /** A scorer that ignores the model and returns seeded random logits, i.e. any possible model behaviour. */
    private static NextTokenScorer randomScorer(Random random) {
        return prefixes -> {
            float[][] scores = new float[prefixes.length][VOCABULARY];
            for (float[] row : scores) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (random.nextGaussian() * 4);
                }
            }
            return scores;
        };
    }

    @Property(tries = 300)
    void everyResultIsAValidDistinctClusterOutsideTheHistory(@ForAll @IntRange(min = 1, max = 25) int clusters,
                                                             @ForAll @IntRange(min = 0, max = 3) int historySize,
                                                             @ForAll @IntRange(min = 1, max = 6) int n,
                                                             @ForAll @IntRange(min = 1, max = 4) int beamWidth,
                                                             @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random random = new Random(seed);
        List<int[]> descriptions = randomDescriptions(random, clusters);
        DescriptionTrie trie = new DescriptionTrie(descriptions);
        int[] history = random.ints(Math.min(historySize, clusters), 0, clusters).toArray();
        int[] prompt = {DescriptionVocabulary.BOS, DescriptionVocabulary.ANS};

        List<NovelInterestModel.ScoredCluster> results = ConstrainedDecoder.beamSearch(trie, prompt, history, n,
                beamWidth, randomScorer(random));

        Set<Integer> historySet = new HashSet<>();
        Arrays.stream(history).forEach(historySet::add);
        Set<Integer> seen = new HashSet<>();
        for (NovelInterestModel.ScoredCluster result : results) {
            assertThat(result.cluster()).isBetween(0, clusters - 1);
            assertThat(historySet).doesNotContain(result.cluster());
            assertThat(seen.add(result.cluster())).as("distinct").isTrue();
            assertThat(result.score()).isLessThanOrEqualTo(0.0);
        }
        assertThat(results).hasSize(Math.min(n, clusters - historySet.size()));
        for (int i = 1; i < results.size(); i++) {
            assertThat(results.get(i).score()).isLessThanOrEqualTo(results.get(i - 1).score());
        }
    }

    @Property(tries = 200)
    void trieLookupFindsExactlyTheClustersWithThatDescription(@ForAll @IntRange(min = 1, max = 20) int clusters,
                                                              @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        List<int[]> descriptions = randomDescriptions(new Random(seed), clusters);
        DescriptionTrie trie = new DescriptionTrie(descriptions);
        for (int c = 0; c < clusters; c++) {
            int[] description = descriptions.get(c);
            int[] expected = java.util.stream.IntStream.range(0, clusters)
                    .filter(other -> Arrays.equals(descriptions.get(other), description))
                    .toArray();
            assertThat(trie.clustersOf(description)).containsExactly(expected);
        }
        assertThat(trie.clustersOf(new int[] {DescriptionVocabulary.UNK})).isEmpty();
    }
}
