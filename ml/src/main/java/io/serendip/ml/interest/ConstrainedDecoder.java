package io.serendip.ml.interest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoding of a cluster description after a prompt. {@link #beamSearch} only follows paths of the
 * {@link DescriptionTrie}, so every result is a valid cluster outside the excluded history; the score of a
 * cluster is the log-probability of its description (and end token) under the model.
 * {@link #greedy} decodes without any constraint, for the exact-match gate.
 */
public final class ConstrainedDecoder {

    private record Beam(int[] tokens, DescriptionTrie.Node node, double logProbability) {
    }

    private ConstrainedDecoder() {
    }

    /**
     * Up to {@code n} distinct clusters outside {@code excluded}, best first. Returns exactly
     * {@code min(n, clusters outside excluded)} results: the beam is widened until enough descriptions finish.
     */
    public static List<NovelInterestModel.ScoredCluster> beamSearch(DescriptionTrie trie, int[] prompt, int[] excluded,
                                                                    int n, int beamWidth, NextTokenScorer scorer) {
        if (n <= 0) {
            return List.of();
        }
        int reachable = countAllowed(trie, excluded);
        int wanted = Math.min(n, reachable);
        int width = Math.max(beamWidth, wanted);
        while (true) {
            List<NovelInterestModel.ScoredCluster> found = search(trie, prompt, excluded, wanted, width, scorer);
            if (found.size() >= wanted || width >= trie.clusterCount()) {
                return found.subList(0, Math.min(wanted, found.size()));
            }
            width = Math.min(trie.clusterCount(), width * 2);
        }
    }

    private static List<NovelInterestModel.ScoredCluster> search(DescriptionTrie trie, int[] prompt, int[] excluded,
                                                                 int wanted, int width, NextTokenScorer scorer) {
        Map<Integer, Double> finished = new LinkedHashMap<>();
        List<Beam> beams = List.of(new Beam(new int[0], trie.root(), 0.0));
        for (int step = 0; step <= trie.maxDepth() && !beams.isEmpty(); step++) {
            int[][] prefixes = beams.stream().map(b -> concat(prompt, b.tokens())).toArray(int[][]::new);
            float[][] scores = scorer.nextTokenScores(prefixes);
            List<Beam> next = new ArrayList<>();
            for (int b = 0; b < beams.size(); b++) {
                Beam beam = beams.get(b);
                double[] logProbabilities = logSoftmax(scores[b]);
                int[] endingHere = trie.allowedClustersEndingAt(beam.node(), excluded);
                if (endingHere.length > 0) {
                    double score = beam.logProbability() + logProbabilities[DescriptionVocabulary.EOS];
                    for (int cluster : endingHere) {
                        finished.merge(cluster, score, Math::max);
                    }
                }
                for (int token : trie.allowedTokens(beam.node(), excluded)) {
                    int[] tokens = Arrays.copyOf(beam.tokens(), beam.tokens().length + 1);
                    tokens[tokens.length - 1] = token;
                    next.add(new Beam(tokens, trie.child(beam.node(), token),
                            beam.logProbability() + logProbabilities[token]));
                }
            }
            next.sort(Comparator.comparingDouble(Beam::logProbability).reversed());
            beams = next.subList(0, Math.min(width, next.size()));
            // Scores only fall as beams grow: stop once no open beam can beat the wanted-th finished result.
            if (finished.size() >= wanted && !beams.isEmpty()) {
                double threshold = finished.values().stream().sorted(Comparator.reverseOrder()).skip(wanted - 1)
                        .findFirst().orElseThrow();
                if (beams.get(0).logProbability() < threshold) {
                    break;
                }
            }
        }
        return finished.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new NovelInterestModel.ScoredCluster(e.getKey(), e.getValue()))
                .toList();
    }

    /**
     * Unconstrained greedy decoding of many prompts at once: argmax tokens until the end token or
     * {@code maxTokens}. Returns the generated tokens of each prompt without the end token.
     */
    public static int[][] greedy(int[][] prompts, int maxTokens, NextTokenScorer scorer) {
        int[][] generated = new int[prompts.length][0];
        boolean[] done = new boolean[prompts.length];
        for (int step = 0; step < maxTokens; step++) {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) {
                if (!done[i]) {
                    open.add(i);
                }
            }
            if (open.isEmpty()) {
                break;
            }
            int[][] prefixes = open.stream().map(i -> concat(prompts[i], generated[i])).toArray(int[][]::new);
            float[][] scores = scorer.nextTokenScores(prefixes);
            for (int o = 0; o < open.size(); o++) {
                int i = open.get(o);
                int best = argmax(scores[o]);
                if (best == DescriptionVocabulary.EOS) {
                    done[i] = true;
                } else {
                    generated[i] = Arrays.copyOf(generated[i], generated[i].length + 1);
                    generated[i][generated[i].length - 1] = best;
                }
            }
        }
        return generated;
    }

    private static int countAllowed(DescriptionTrie trie, int[] excluded) {
        int allowed = 0;
        for (int c = 0; c < trie.clusterCount(); c++) {
            if (!DescriptionTrie.contains(excluded, c)) {
                allowed++;
            }
        }
        return allowed;
    }

    static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    static double[] logSoftmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (float s : scores) {
            sum += Math.exp(s - max);
        }
        double logSum = max + Math.log(sum);
        double[] result = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            result[i] = scores[i] - logSum;
        }
        return result;
    }

    static int[] concat(int[] a, int[] b) {
        int[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
