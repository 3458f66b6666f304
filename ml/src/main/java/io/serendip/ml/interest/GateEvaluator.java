package io.serendip.ml.interest;

import io.serendip.ml.eval.HeldOutNovelty;
import io.serendip.ml.novelty.NoveltySource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs the quality gates on held-out users. A case is a point in a user's cluster sequence: the last
 * {@code k} distinct clusters so far are the history, the clusters the user engages with afterwards are the
 * later history; the top prediction is a hit when it is among them.
 */
public final class GateEvaluator {

    /** One evaluation point. */
    public record GateCase(int[] history, int[] later) {
    }

    private static final int BATCH = 256;

    private GateEvaluator() {
    }

    /**
     * Cases from cluster sequences (consecutive repeats collapsed) of held-out users: every position with
     * {@code k} distinct clusters before it; at most {@code maxCases}, sampled with the seed.
     */
    public static List<GateCase> cases(List<int[]> clusterSequences, int k, int maxCases, long seed) {
        List<GateCase> cases = new ArrayList<>(HeldOutNovelty.cases(clusterSequences, k).stream()
                .map(c -> new GateCase(c.history(), c.later())).toList());
        if (cases.size() > maxCases) {
            Collections.shuffle(cases, new Random(seed));
            cases = new ArrayList<>(cases.subList(0, maxCases));
        }
        return cases;
    }

    public static GateReport evaluate(InterestGenerator generator, List<String> descriptions, List<GateCase> cases,
                                      List<NoveltySource> baselines) {
        double exactMatchRate = exactMatchRate(generator, descriptions, histories(cases));
        int valid = 0;
        int hits = 0;
        int[][] tops = generator.novelClusters(histories(cases), 1);
        for (int i = 0; i < cases.size(); i++) {
            GateCase gateCase = cases.get(i);
            int[] top = tops[i];
            if (top.length == 1 && isValidNovel(top[0], gateCase.history(), descriptions.size())) {
                valid++;
                if (Arrays.binarySearch(gateCase.later(), top[0]) >= 0) {
                    hits++;
                }
            }
        }
        Map<String, Double> baselineRecall = new LinkedHashMap<>();
        for (NoveltySource baseline : baselines) {
            baselineRecall.put(baseline.name(), recall(baseline, cases));
        }
        int n = cases.size();
        return new GateReport(n, exactMatchRate, n == 0 ? 0 : (double) valid / n,
                n == 0 ? 0 : (double) hits / n, baselineRecall);
    }

    /** Share of the histories whose unconstrained generated text is exactly one of the descriptions (same words). */
    public static double exactMatchRate(InterestGenerator generator, List<String> descriptions, List<int[]> histories) {
        Set<List<String>> exact = descriptionWords(descriptions);
        int exactMatches = 0;
        for (int from = 0; from < histories.size(); from += BATCH) {
            for (String text : generator.generateText(histories.subList(from, Math.min(histories.size(), from + BATCH)))) {
                if (exact.contains(DescriptionVocabulary.words(text))) {
                    exactMatches++;
                }
            }
        }
        return histories.isEmpty() ? 0 : (double) exactMatches / histories.size();
    }

    /**
     * The first {@code limit} distinct texts that are none of the descriptions: what a refused exact-match gate
     * shows its operator, since the numbers alone do not say where free text drifts.
     */
    public static List<String> offDescription(List<String> descriptions, List<String> texts, int limit) {
        Set<List<String>> exact = descriptionWords(descriptions);
        Set<String> shown = new java.util.LinkedHashSet<>();
        for (String text : texts) {
            if (shown.size() == limit) {
                break;
            }
            if (!exact.contains(DescriptionVocabulary.words(text))) {
                shown.add(text);
            }
        }
        return List.copyOf(shown);
    }

    private static Set<List<String>> descriptionWords(List<String> descriptions) {
        Set<List<String>> words = new HashSet<>();
        for (String description : descriptions) {
            words.add(DescriptionVocabulary.words(description));
        }
        return words;
    }

    /** Share of cases whose top prediction appears in the later history. */
    public static double recall(NoveltySource source, List<GateCase> cases) {
        int hits = 0;
        int[][] tops = source.novelClusters(histories(cases), 1);
        for (int i = 0; i < cases.size(); i++) {
            GateCase gateCase = cases.get(i);
            int[] top = tops[i];
            if (top.length > 0 && Arrays.binarySearch(gateCase.later(), top[0]) >= 0) {
                hits++;
            }
        }
        return cases.isEmpty() ? 0 : (double) hits / cases.size();
    }

    private static List<int[]> histories(List<GateCase> cases) {
        return cases.stream().map(GateCase::history).toList();
    }

    static boolean isValidNovel(int cluster, int[] history, int clusterCount) {
        if (cluster < 0 || cluster >= clusterCount) {
            return false;
        }
        Set<Integer> seen = new HashSet<>();
        for (int h : history) {
            seen.add(h);
        }
        return !seen.contains(cluster);
    }
}
