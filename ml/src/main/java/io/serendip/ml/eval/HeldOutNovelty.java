package io.serendip.ml.eval;

import io.serendip.ml.novelty.NoveltySource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Novel-interest sources compared on held-out users, every case scored, with confidence intervals.
 *
 * <p>A case is a point in a held-out user's cluster sequence (consecutive repeats collapsed) with {@code k} distinct
 * clusters before it: those are the history a source sees; the clusters from that point on are the later history;
 * all clusters before it are what the user has already shown. Per source, on the top proposal:
 * <ul>
 *   <li>{@code novelRecall@1}: it is in the later history (the paper's test recall);
 *   <li>{@code newInterestRecall@1}: it is in the later history and in none of the clusters shown before (a truly
 *       new interest);
 *   <li>{@code validRate}: it is an existing cluster outside the history.
 * </ul>
 * Cases of one user are correlated, so intervals come from a bootstrap over users (the cases of each drawn user,
 * percentile interval); the ratio of each source to a reference source is bootstrapped on the same draws (paired).
 */
public final class HeldOutNovelty {

    /** One evaluation point; {@code before} and {@code later} are sorted distinct cluster ids. */
    public record Case(int user, int[] history, int[] before, int[] later) {
    }

    /** A mean with its 95% interval. */
    public record Interval(double mean, double low, double high) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", mean, low, high);
        }
    }

    /**
     * One source's results; {@code *Ratio} are its value over the reference source's, null for the reference itself
     * or when the reference scored zero.
     */
    public record SourceResult(String name, double validRate, Interval novelRecall, Interval newInterestRecall,
                               Interval novelRecallRatio, Interval newInterestRatio, Double exactMatchRate) {
    }

    /** The comparison: users and cases scored, the reference source, and each source's results in input order. */
    public record Report(int users, int cases, int distinctHistories, String reference, int resamples, long seed,
                         List<SourceResult> sources, int exactMatchHistories) {
        public Report {
            sources = List.copyOf(sources);
        }

        /** The same report with the exact-match rates of the sources that generate text, on a sample of histories. */
        public Report withExactMatch(Map<String, Double> rates, int sampledHistories) {
            List<SourceResult> updated = sources.stream().map(s -> new SourceResult(s.name(), s.validRate(),
                    s.novelRecall(), s.newInterestRecall(), s.novelRecallRatio(), s.newInterestRatio(),
                    rates.get(s.name()))).toList();
            return new Report(users, cases, distinctHistories, reference, resamples, seed, updated, sampledHistories);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("users", users);
            json.put("cases", cases);
            json.put("distinctHistories", distinctHistories);
            json.put("reference", reference);
            json.put("bootstrapResamples", resamples);
            json.put("bootstrapSeed", seed);
            json.put("exactMatchHistories", exactMatchHistories);
            Map<String, Object> bySource = new LinkedHashMap<>();
            for (SourceResult s : sources) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("validRate", s.validRate());
                if (s.exactMatchRate() != null) {
                    m.put("exactMatchRate", s.exactMatchRate());
                }
                m.put("novelRecall@1", interval(s.novelRecall()));
                m.put("newInterestRecall@1", interval(s.newInterestRecall()));
                if (s.novelRecallRatio() != null) {
                    m.put("novelRecall@1 / " + reference, interval(s.novelRecallRatio()));
                }
                if (s.newInterestRatio() != null) {
                    m.put("newInterestRecall@1 / " + reference, interval(s.newInterestRatio()));
                }
                bySource.put(s.name(), m);
            }
            json.put("sources", bySource);
            return json;
        }

        public String markdown() {
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "%d held-out users, %d cases (%d distinct histories); 95%% intervals "
                    + "from %d bootstrap resamples of users (seed %d); ratios are paired with %s; exact-match of the "
                    + "unconstrained text on %d sampled distinct histories.%n%n", users, cases, distinctHistories,
                    resamples, seed, reference, exactMatchHistories));
            md.append("| source | exact-match | valid | novelRecall@1 | newInterestRecall@1 | novelRecall@1 / ")
                    .append(reference).append(" | newInterestRecall@1 / ").append(reference).append(" |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (SourceResult s : sources) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s | %s |%n", s.name(),
                        s.exactMatchRate() == null ? "-" : String.format(Locale.ROOT, "%.3f", s.exactMatchRate()),
                        s.validRate(), s.novelRecall(), s.newInterestRecall(), orDash(s.novelRecallRatio()),
                        orDash(s.newInterestRatio())));
            }
            return md.toString();
        }

        private static String orDash(Interval interval) {
            return interval == null ? "-" : interval.toString();
        }

        private static Map<String, Double> interval(Interval i) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("mean", i.mean());
            m.put("low95", i.low());
            m.put("high95", i.high());
            return m;
        }
    }

    public static final int DEFAULT_RESAMPLES = 2000;

    private HeldOutNovelty() {
    }

    /** Every case of every held-out user, in user order. */
    public static List<Case> cases(List<int[]> clusterSequences, int k) {
        List<Case> cases = new ArrayList<>();
        for (int u = 0; u < clusterSequences.size(); u++) {
            int[] sequence = clusterSequences.get(u);
            for (int t = k; t < sequence.length; t++) {
                int[] history = Arrays.copyOfRange(sequence, t - k, t);
                if (Arrays.stream(history).distinct().count() == k) {
                    cases.add(new Case(u, history, Arrays.stream(sequence, 0, t).distinct().sorted().toArray(),
                            Arrays.stream(sequence, t, sequence.length).distinct().sorted().toArray()));
                }
            }
        }
        return cases;
    }

    /**
     * Scores every source on every case (each source is asked once, for all histories) and bootstraps the intervals.
     *
     * @param reference index in {@code sources} of the source the ratios are taken against
     */
    public static Report compare(List<Case> cases, int clusterCount, List<NoveltySource> sources, int reference,
                                 int resamples, long seed) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no held-out cases: no held-out user has enough distinct clusters");
        }
        // Users are the bootstrap's units: only those with at least one case, densely numbered.
        Map<Integer, Integer> dense = new LinkedHashMap<>();
        cases.forEach(c -> dense.putIfAbsent(c.user(), dense.size()));
        int users = dense.size();
        int[] userOf = cases.stream().mapToInt(c -> dense.get(c.user())).toArray();
        int[] casesOf = new int[users];
        for (int u : userOf) {
            casesOf[u]++;
        }
        List<int[]> histories = cases.stream().map(Case::history).toList();
        int[][] novelOf = new int[sources.size()][users];
        int[][] newOf = new int[sources.size()][users];
        double[] validRate = new double[sources.size()];
        for (int s = 0; s < sources.size(); s++) {
            int[][] proposals = sources.get(s).novelClusters(histories, 1);
            int valid = 0;
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                int[] top = proposals[i];
                if (top.length == 0 || top[0] < 0 || top[0] >= clusterCount || ExplorationEvaluator.contains(c.history(), top[0])) {
                    continue;
                }
                valid++;
                if (Arrays.binarySearch(c.later(), top[0]) >= 0) {
                    novelOf[s][userOf[i]]++;
                    if (Arrays.binarySearch(c.before(), top[0]) < 0) {
                        newOf[s][userOf[i]]++;
                    }
                }
            }
            validRate[s] = (double) valid / cases.size();
        }
        // Bootstrap over users: every resample draws `users` users with replacement and sums their counts.
        Random random = new Random(seed);
        double[][] novelDraws = new double[sources.size()][resamples];
        double[][] newDraws = new double[sources.size()][resamples];
        int[] drawn = new int[users];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(drawn, 0);
            for (int i = 0; i < users; i++) {
                drawn[random.nextInt(users)]++;
            }
            long total = 0;
            for (int u = 0; u < users; u++) {
                total += (long) drawn[u] * casesOf[u];
            }
            for (int s = 0; s < sources.size(); s++) {
                long novel = 0;
                long fresh = 0;
                for (int u = 0; u < users; u++) {
                    novel += (long) drawn[u] * novelOf[s][u];
                    fresh += (long) drawn[u] * newOf[s][u];
                }
                novelDraws[s][b] = total == 0 ? 0 : (double) novel / total;
                newDraws[s][b] = total == 0 ? 0 : (double) fresh / total;
            }
        }
        List<SourceResult> results = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            Interval novel = interval(sum(novelOf[s]) / (double) cases.size(), novelDraws[s]);
            Interval fresh = interval(sum(newOf[s]) / (double) cases.size(), newDraws[s]);
            Interval novelRatio = s == reference ? null : ratio(novel.mean(), novelDraws[s],
                    sum(novelOf[reference]) / (double) cases.size(), novelDraws[reference]);
            Interval freshRatio = s == reference ? null : ratio(fresh.mean(), newDraws[s],
                    sum(newOf[reference]) / (double) cases.size(), newDraws[reference]);
            results.add(new SourceResult(sources.get(s).name(), validRate[s], novel, fresh, novelRatio, freshRatio,
                    null));
        }
        int distinct = (int) histories.stream().map(Arrays::toString).distinct().count();
        return new Report(users, cases.size(), distinct, sources.get(reference).name(), resamples, seed, results, 0);
    }

    private static Interval ratio(double mean, double[] draws, double referenceMean, double[] referenceDraws) {
        if (referenceMean == 0) {
            return null;
        }
        double[] ratios = new double[draws.length];
        for (int b = 0; b < draws.length; b++) {
            ratios[b] = referenceDraws[b] == 0 ? Double.POSITIVE_INFINITY : draws[b] / referenceDraws[b];
        }
        return interval(mean / referenceMean, ratios);
    }

    /** The estimate with the 2.5th and 97.5th percentiles of its bootstrap draws. */
    static Interval interval(double mean, double[] draws) {
        double[] sorted = draws.clone();
        Arrays.sort(sorted);
        return new Interval(mean, percentile(sorted, 0.025), percentile(sorted, 0.975));
    }

    private static double percentile(double[] sorted, double q) {
        int index = (int) Math.floor(q * (sorted.length - 1));
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long sum(int[] values) {
        long total = 0;
        for (int v : values) {
            total += v;
        }
        return total;
    }
}
