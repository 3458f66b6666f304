package io.serendip.ml.interest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps free text onto the cluster set: an exact match of a description (same words, ignoring case and
 * spacing) wins; otherwise the description nearest by cosine similarity of text embeddings. The embedder is
 * pluggable (e.g. the MiniLM sentence embedder); {@link #bagOfWords} is a dependency-free default.
 * Clusters in the excluded history are never returned. Thread-safe if the embedder is.
 */
public final class DescriptionMatcher {

    private final Map<List<String>, List<Integer>> exact = new HashMap<>();
    private final float[][] descriptionVectors;
    private final Function<List<String>, float[][]> embedder;

    public DescriptionMatcher(List<String> descriptions, Function<List<String>, float[][]> embedder) {
        for (int c = 0; c < descriptions.size(); c++) {
            exact.computeIfAbsent(DescriptionVocabulary.words(descriptions.get(c)), w -> new ArrayList<>()).add(c);
        }
        this.embedder = embedder;
        this.descriptionVectors = normalize(embedder.apply(descriptions));
    }

    /** Hashed bag-of-words vectors (word counts in 512 buckets): a lexical stand-in for a sentence embedder. */
    public static Function<List<String>, float[][]> bagOfWords() {
        return texts -> texts.stream().map(text -> {
            float[] vector = new float[512];
            for (String word : DescriptionVocabulary.words(text)) {
                if (Character.isLetterOrDigit(word.charAt(0))) {
                    vector[Math.floorMod(word.hashCode(), vector.length)] += 1f;
                }
            }
            return vector;
        }).toArray(float[][]::new);
    }

    /** True when the text is exactly some cluster's description. */
    public boolean isExactMatch(String text) {
        return exact.containsKey(DescriptionVocabulary.words(text));
    }

    /** Up to {@code n} clusters outside {@code excluded} for the text: exact matches first, then by similarity. */
    public int[] match(String text, int[] excluded, int n) {
        List<Integer> result = new ArrayList<>();
        for (int cluster : exact.getOrDefault(DescriptionVocabulary.words(text), List.of())) {
            if (result.size() < n && !DescriptionTrie.contains(excluded, cluster)) {
                result.add(cluster);
            }
        }
        if (result.size() < n) {
            float[] query = normalize(embedder.apply(List.of(text)))[0];
            Integer[] order = new Integer[descriptionVectors.length];
            double[] similarity = new double[descriptionVectors.length];
            for (int c = 0; c < descriptionVectors.length; c++) {
                order[c] = c;
                similarity[c] = dot(query, descriptionVectors[c]);
            }
            Arrays.sort(order, (a, b) -> similarity[a] != similarity[b] ? Double.compare(similarity[b], similarity[a])
                    : Integer.compare(a, b));
            for (int cluster : order) {
                if (result.size() == n) {
                    break;
                }
                if (!result.contains(cluster) && !DescriptionTrie.contains(excluded, cluster)) {
                    result.add(cluster);
                }
            }
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[][] normalize(float[][] vectors) {
        for (float[] vector : vectors) {
            double norm = Math.sqrt(dot(vector, vector));
            if (norm > 0) {
                for (int i = 0; i < vector.length; i++) {
                    vector[i] /= (float) norm;
                }
            }
        }
        return vectors;
    }
}
