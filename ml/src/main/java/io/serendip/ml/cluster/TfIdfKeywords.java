package io.serendip.ml.cluster;

import io.serendip.ml.data.CatalogItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Describes clusters by keywords: TF-IDF where a cluster's members form one document. A term's frequency is the
 * share of member items that contain it (title and text words, tags as whole terms); its inverse document
 * frequency {@code log(C / clusters containing the term)} is taken over the clusters of the same level, so a term
 * found in every cluster (a dominant genre) describes none of them. Terms shared by several members rank before terms of a
 * single item (a word of one title does not describe a cluster). Years become decades ("1995" gives "1990s").
 * An item's own id is not a word of it: a catalog of ids only (imported sequences) has no terms, and its clusters are
 * named by ids as ids, {@code items 17, 2081, 993} (the members nearest the cluster's centre first), never by
 * decades mined from id digits. Descriptions are made unique within a level by adding further keywords, and finally
 * the cluster number, when two clusters would read the same.
 */
public final class TfIdfKeywords {
    private static final Set<String> STOPWORDS = Set.of("the", "and", "for", "with", "from", "that", "this", "are",
            "was", "were", "his", "her", "its", "their", "you", "your", "our", "not", "but", "all", "any", "one", "two",
            "les", "des", "der", "die", "das", "und", "del", "los", "las");

    private TfIdfKeywords() {
    }

    /** Terms of an item: tags (lower-cased, whole) then words of the title and text, each once. */
    public static Set<String> terms(CatalogItem item) {
        Set<String> terms = new LinkedHashSet<>();
        for (String tag : item.tags()) {
            String normalized = tag.strip().toLowerCase(Locale.ROOT);
            if (!normalized.isEmpty()) {
                terms.add(normalized);
            }
        }
        // Words that only repeat a tag ("sci" of "Sci-Fi") add nothing to the tag itself.
        Set<String> tagWords = new HashSet<>();
        for (String tag : terms) {
            tagWords.addAll(Arrays.asList(tag.split("[^\\p{L}\\p{N}]+")));
        }
        String id = item.id().toLowerCase(Locale.ROOT);
        for (String word : (item.title() + " " + item.text()).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (tagWords.contains(word) || word.equals(id)) {
                continue;
            }
            boolean digits = !word.isEmpty() && word.chars().allMatch(Character::isDigit);
            if (digits && word.length() == 4 && word.compareTo("1880") >= 0 && word.compareTo("2099") <= 0) {
                terms.add(word.substring(0, 3) + "0s");
            } else if (word.length() >= 3 && !STOPWORDS.contains(word) && !digits) {
                terms.add(word);
            }
        }
        return terms;
    }

    /**
     * Keywords per cluster (most descriptive first), {@code perCluster} of them, unique descriptions; a cluster
     * whose members have no terms is named by the ids of its first {@code perCluster} members in
     * {@code representativeOrder} (item indices, most representative first; asked for only then).
     */
    public static List<List<String>> describe(List<CatalogItem> items, int[] assignment, int clusters, int perCluster,
                                              java.util.function.Supplier<int[]> representativeOrder) {
        int[][] order = new int[1][];
        List<Map<String, Integer>> counts = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            counts.add(new HashMap<>());
        }
        int[] sizes = new int[clusters];
        for (int i = 0; i < items.size(); i++) {
            sizes[assignment[i]]++;
            for (String term : terms(items.get(i))) {
                counts.get(assignment[i]).merge(term, 1, Integer::sum);
            }
        }
        Map<String, Integer> clusterFrequency = new HashMap<>();
        counts.forEach(map -> map.keySet().forEach(term -> clusterFrequency.merge(term, 1, Integer::sum)));

        List<List<String>> ranked = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            int size = Math.max(1, sizes[c]);
            Map<String, Double> score = new HashMap<>();
            counts.get(c).forEach((term, count) -> score.put(term, (double) count / size
                    * Math.log((double) clusters / clusterFrequency.get(term))));
            Map<String, Integer> members = counts.get(c);
            int support = Math.min(2, size);
            List<String> terms = new ArrayList<>(score.keySet());
            terms.sort(Comparator.comparing((String t) -> members.get(t) < support)
                    .thenComparingDouble(t -> -score.get(t)).thenComparing(t -> t));
            if (terms.isEmpty() && order[0] == null) {
                order[0] = representativeOrder.get();
            }
            ranked.add(terms.isEmpty() ? List.of(idsOf(items, assignment, c, perCluster, order[0])) : terms);
        }
        return unique(ranked, perCluster);
    }

    private static String idsOf(List<CatalogItem> items, int[] assignment, int cluster, int count, int[] order) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < order.length && ids.size() < count; i++) {
            if (assignment[order[i]] == cluster) {
                ids.add(items.get(order[i]).id());
            }
        }
        return "items " + String.join(", ", ids);
    }

    static List<List<String>> unique(List<List<String>> ranked, int perCluster) {
        List<List<String>> result = new ArrayList<>(ranked.size());
        Set<String> used = new HashSet<>();
        for (int c = 0; c < ranked.size(); c++) {
            List<String> terms = ranked.get(c);
            int take = Math.min(perCluster, terms.size());
            List<String> keywords = new ArrayList<>(terms.subList(0, take));
            while (used.contains(String.join(", ", keywords)) && take < terms.size() && take < perCluster + 3) {
                keywords.add(terms.get(take++));
            }
            if (keywords.isEmpty() || used.contains(String.join(", ", keywords))) {
                keywords.add("cluster " + c);
            }
            used.add(String.join(", ", keywords));
            result.add(List.copyOf(keywords));
        }
        return result;
    }
}
