package io.serendip.ml.interest.llm;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Cluster descriptions an LLM can read: the cluster's TF-IDF keywords, and with {@link Variant#KEYWORDS_AND_TITLES}
 * its most engaged-with item titles ("drama, war, soldier: Platoon (1986); Glory (1989)"). Popularity is counted on
 * the training users' sequences only, so held-out engagement does not shape what the model reads.
 */
public final class InterestDescriptions {

    public enum Variant { KEYWORDS, KEYWORDS_AND_TITLES }

    private InterestDescriptions() {
    }

    public static List<String> of(ClusterSet clusters, Catalog catalog, List<int[]> trainingItemSequences,
                                  Variant variant, int titles) {
        int[] engagement = new int[clusters.items().size()];
        for (int[] sequence : trainingItemSequences) {
            for (int item : sequence) {
                engagement[item]++;
            }
        }
        List<String> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < clusters.clusterCount(); c++) {
            String keywords = String.join(", ", clusters.keywords(c));
            String text = keywords.isBlank() ? "cluster " + c : keywords;
            if (variant == Variant.KEYWORDS_AND_TITLES && titles > 0) {
                List<String> top = IntStream.of(clusters.itemsOf(c)).boxed()
                        .sorted(Comparator.comparingInt((Integer i) -> -engagement[i]).thenComparing(i -> i))
                        .limit(titles).map(i -> catalog.get(i).title().strip()).filter(t -> !t.isEmpty()).toList();
                if (!top.isEmpty()) {
                    text = text + ": " + String.join("; ", top);
                }
            }
            // Candidates must differ: the constrained decoder and the exact-match gate tell clusters apart by text.
            if (!seen.add(text.toLowerCase(Locale.ROOT))) {
                text = text + " (cluster " + c + ")";
                seen.add(text.toLowerCase(Locale.ROOT));
            }
            result.add(text);
        }
        return result;
    }
}
