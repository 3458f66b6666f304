package io.serendip.ml.jobs;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.eval.Evaluation;
import io.serendip.ml.eval.EvaluationReport;
import io.serendip.ml.eval.HeldOutNovelty;
import io.serendip.ml.eval.HeldOutUsers;
import io.serendip.ml.eval.HistoryFutureSplit;
import io.serendip.ml.eval.LeaveOneOutSplit;
import io.serendip.ml.eval.NextItemScorer;
import io.serendip.ml.novelty.BlendedNoveltySource;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.RandomNoveltySource;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code job evaluate}: accuracy and exploration report for a dataset and cluster set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate accuracy (HR/NDCG@10/20: popularity, item-transition, optional recommender) and "
                + "exploration (valid-cluster rate, novel-interest recall, explored share, coverage: transition-frequency, "
                + "random, optional interest model); writes report.md, report.json and SVG charts.")
final class EvaluateJob extends Job {
    @Mixin
    DatasetDir dataset = new DatasetDir();

    @Mixin
    ClusterSetDir clustersDir = new ClusterSetDir();

    @Option(names = "--history-length", defaultValue = "2", description = "k (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--top-n", defaultValue = "5", description = "Novel clusters proposed per user (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random baseline (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--name", description = "Dataset name in the report (default: directory name).")
    String name;

    @Option(names = "--recommender", description = "Recommender artifact to evaluate beside the baselines.")
    Path recommender;

    @Option(names = "--interest-model", description = "Interest-model artifact to evaluate beside the baselines "
            + "(repeatable; also compared on its held-out users).")
    List<Path> interestModels = new ArrayList<>();

    @Option(names = "--blend-min-count", split = ",", paramLabel = "N",
            description = "With --interest-model: also evaluate blends that answer a history by transition frequency "
                    + "when its counts saw at least N transitions after it, else by the first model (one row per N).")
    List<Integer> blendMinCounts = List.of();

    @Option(names = "--pretrained-llm", split = ",", paramLabel = "SHOTS",
            description = "Also compare the default pretrained base LLM without fine-tuning on the held-out users: "
                    + "0 zero-shot, N few-shot with N curated training transitions in its prompt (e.g. 0,8).")
    List<Integer> pretrainedShots = List.of();

    @Option(names = "--pretrained-quantization", defaultValue = "none",
            description = "Arithmetic of the --pretrained-llm rows: none (float32) or int8, to compare them with int8 "
                    + "versions in the same arithmetic (default ${DEFAULT-VALUE}).")
    String pretrainedQuantization;

    @Option(names = "--pretrained-descriptions", defaultValue = "KEYWORDS_AND_TITLES",
            description = "Cluster descriptions of the --pretrained-llm rows: KEYWORDS_AND_TITLES or KEYWORDS, as "
                    + "train-interest-model --descriptions (default ${DEFAULT-VALUE}; KEYWORDS rows are named "
                    + "...-keywords).")
    String pretrainedDescriptions;

    @Option(names = "--held-out-fraction", description = "Users held out for the comparison of novelty sources "
            + "(default: the fraction the first --interest-model was trained with, else 0.1).")
    Double heldOutFraction;

    @Option(names = "--split-seed", description = "Seed of the held-out user split (default: the seed the first "
            + "--interest-model was trained with, else 42).")
    Long splitSeed;

    @Option(names = "--exact-match-sample", defaultValue = "300",
            description = "Distinct held-out histories whose unconstrained text is checked for exact matches "
                    + "(default ${DEFAULT-VALUE}).")
    int exactMatchSample;

    @Option(names = "--bootstrap-resamples", defaultValue = "2000",
            description = "Bootstrap resamples of users for the confidence intervals (default ${DEFAULT-VALUE}).")
    int resamples;

    @Mixin
    OutputDir output = new OutputDir();

    @Override
    protected void execute() throws Exception {
        if (!List.of("none", "int8").contains(pretrainedQuantization)) {
            throw new IllegalArgumentException("--pretrained-quantization must be none or int8, got "
                    + pretrainedQuantization);
        }
        if (!List.of("KEYWORDS_AND_TITLES", "KEYWORDS").contains(pretrainedDescriptions)) {
            throw new IllegalArgumentException("--pretrained-descriptions must be KEYWORDS_AND_TITLES or KEYWORDS, got "
                    + pretrainedDescriptions);
        }
        requireTrainedSplit();
        if (interestModels.isEmpty() && !blendMinCounts.isEmpty()) {
            throw new IllegalArgumentException("--blend-min-count needs --interest-model (a blend of which model?)");
        }
        ClusterSet clusters = ClusterSet.load(clustersDir.path());
        Dataset data = Dataset.read(dataset.path());
        if (!data.catalog().index().ids().equals(clusters.items().ids())) {
            throw new IllegalArgumentException("cluster set " + clustersDir.path() + " was built for another catalog");
        }
        List<Function<LeaveOneOutSplit, NextItemScorer>> scorers = new ArrayList<>();
        if (recommender != null) {
            NextItemScorer scorer = ModelExtension.open(e -> e.recommender(recommender), "--recommender", recommender);
            scorers.add(split -> scorer);
        }
        List<NoveltySource> models = new ArrayList<>();
        for (Path artifact : interestModels) {
            NoveltySource source = ModelExtension.open(e -> e.interestModel(artifact, clusters), "--interest-model",
                    artifact);
            models.add(interestModels.size() == 1 ? source : named(source, source.name() + " ("
                    + artifact.toAbsolutePath().normalize().getFileName() + ")"));
        }
        List<Function<HistoryFutureSplit, NoveltySource>> sources = new ArrayList<>();
        models.forEach(model -> sources.add(split -> model));
        for (int minCount : blendMinCounts) {
            sources.add(split -> new BlendedNoveltySource(models.get(0), TransitionFrequencySource.fit(
                    TransitionCurator.clusterSequences(split.histories(), clusters), clusters.clusterCount(), k),
                    minCount));
        }
        String datasetName = name != null ? name : dataset.path().toAbsolutePath().normalize().getFileName().toString();
        EvaluationReport report = Evaluation.run(data.positiveSequences().sequences(), clusters,
                new Evaluation.Options(datasetName, k, n, seed, scorers, sources), line -> progress("%s", line));
        Map<String, Double> quality = new LinkedHashMap<>();
        ArtifactManifest.read(clustersDir.path()).metrics().forEach((key, value) -> {
            if (key.startsWith("level")) {
                quality.put(key, value);
            }
        });
        report = report.withClusterQuality(quality);
        if (!models.isEmpty() || !pretrainedShots.isEmpty()) {
            report = report.withHeldOutNovelty(compareOnHeldOutUsers(data, clusters, models));
        }
        report.writeTo(output.path());
        report.accuracy().forEach((model, metrics) -> progress("%s: %s", model, metrics));
        report.exploration().forEach((source, metrics) -> progress("%s: %s", source, metrics));
        HeldOutNovelty.Report heldOut = report.heldOutNovelty();
        if (heldOut != null) {
            heldOut.sources().forEach(s -> progress("held-out %s: exact-match %s, novelRecall@1 %s, "
                    + "newInterestRecall@1 %s, ratio to %s %s", s.name(), s.exactMatchRate(), s.novelRecall(),
                    s.newInterestRecall(), heldOut.reference(), s.newInterestRatio()));
        }
        progress("wrote %s", output.path());
    }

    /**
     * Every novelty source on every case of the held-out users, with bootstrap intervals: transition frequency (the
     * reference of the ratios) and random, the pretrained LLM without fine-tuning, the artifacts and the blends.
     * Transition frequency, the pretrained LLM's descriptions and examples learn from the training users only.
     */
    private HeldOutNovelty.Report compareOnHeldOutUsers(Dataset data, ClusterSet clusters, List<NoveltySource> models) {
        double fraction = heldOutFraction();
        long split = splitSeed();
        HeldOutUsers users = HeldOutUsers.split(data.positiveSequences().sequences(), clusters, fraction, split);
        List<NoveltySource> sources = new ArrayList<>();
        TransitionFrequencySource frequency = TransitionFrequencySource.fit(users.train(), clusters.clusterCount(), k);
        sources.add(frequency);
        sources.add(new RandomNoveltySource(clusters.clusterCount(), seed));
        for (int shots : pretrainedShots) {
            sources.add(ModelExtension.open(e -> e.pretrainedLlm(clusters, data.catalog(), users, k,
                    new ModelExtension.PretrainedLlm(shots, split, pretrainedQuantization, pretrainedDescriptions)),
                    "--pretrained-llm", Path.of(String.valueOf(shots))));
        }
        sources.addAll(models);
        for (int minCount : blendMinCounts) {
            sources.add(new BlendedNoveltySource(models.get(0), frequency, minCount));
        }
        List<HeldOutNovelty.Case> cases = HeldOutNovelty.cases(users.test(), k);
        progress("held-out comparison: %d users, %d cases, %d sources", users.test().size(), cases.size(),
                sources.size());
        HeldOutNovelty.Report comparison = HeldOutNovelty.compare(cases, clusters.clusterCount(), sources, 0,
                resamples, seed);
        Map<List<Integer>, int[]> distinct = new LinkedHashMap<>();
        cases.forEach(c -> distinct.putIfAbsent(java.util.Arrays.stream(c.history()).boxed().toList(), c.history()));
        List<int[]> shuffled = new ArrayList<>(distinct.values());
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        List<int[]> sample = shuffled.subList(0, Math.min(exactMatchSample, shuffled.size()));
        Map<String, Double> exact = new LinkedHashMap<>();
        for (NoveltySource source : sources) {
            Double rate = ModelExtension.first(e -> e.exactMatchRate(unnamed(source), clusters, sample));
            if (rate != null) {
                exact.put(source.name(), rate);
            }
        }
        return comparison.withExactMatch(exact, sample.size());
    }

    private double heldOutFraction() {
        return heldOutFraction != null ? heldOutFraction : recorded("test_fraction", 0.1);
    }

    private long splitSeed() {
        return splitSeed != null ? splitSeed : (long) recorded("split_seed", 42);
    }

    /**
     * Refuses, before any work, a comparison whose held-out users would include users a model learned from, or
     * whose clusters were fit on the held-out users' interactions (co-occurrence embeddings over every user).
     */
    private void requireTrainedSplit() {
        if (interestModels.isEmpty() && pretrainedShots.isEmpty()) {
            return;
        }
        double fraction = heldOutFraction();
        long split = splitSeed();
        for (Path artifact : interestModels) {
            Map<String, Double> metrics = ArtifactManifest.read(artifact).metrics();
            if (!sameSplit(metrics, fraction, split)) {
                throw new IllegalArgumentException("--interest-model " + artifact + " was trained with held-out "
                        + "fraction " + metrics.get("test_fraction") + " and split seed " + seedOf(metrics) + ", but"
                        + " the comparison holds out " + fraction + " with seed " + split + ": its held-out users would"
                        + " include users it learned from");
            }
        }
        Map<String, Double> fit = ArtifactManifest.read(clustersDir.path()).metrics();
        if (fit.getOrDefault(HeldOutSplitOptions.USES_INTERACTIONS, 0.0) == 1.0
                && (!fit.containsKey("test_fraction") || !sameSplit(fit, fraction, split))) {
            throw new IllegalArgumentException("--clusters " + clustersDir.path() + " was built from interactions of "
                    + (fit.containsKey("test_fraction") ? "users held out with fraction " + fit.get("test_fraction")
                    + " and split seed " + seedOf(fit) : "every user") + ", but the comparison holds out " + fraction
                    + " with seed " + split + ": its clusters would have seen the held-out users' later items; build"
                    + " them with --held-out-fraction " + fraction + " --split-seed " + split + " (or from item text)");
        }
    }

    private static boolean sameSplit(Map<String, Double> metrics, double fraction, long split) {
        Double recordedFraction = metrics.get("test_fraction");
        Double recordedSeed = metrics.get("split_seed");
        return (recordedFraction == null || recordedFraction == fraction)
                && (recordedSeed == null || recordedSeed.longValue() == split);
    }

    private static String seedOf(Map<String, Double> metrics) {
        Double seed = metrics.get("split_seed");
        return seed == null ? "?" : String.valueOf(seed.longValue());
    }

    /** A manifest metric of the first --interest-model, or the fallback. */
    private double recorded(String metric, double fallback) {
        if (interestModels.isEmpty()) {
            return fallback;
        }
        Double value = ArtifactManifest.read(interestModels.get(0)).metrics().get(metric);
        return value != null ? value : fallback;
    }

    /** The source under another name in reports. */
    private static NoveltySource named(NoveltySource source, String name) {
        return new Renamed(source, name);
    }

    private static NoveltySource unnamed(NoveltySource source) {
        return source instanceof Renamed renamed ? renamed.source() : source;
    }

    private record Renamed(NoveltySource source, String name) implements NoveltySource {
        @Override
        public int[] novelClusters(int[] history, int n) {
            return source.novelClusters(history, n);
        }

        @Override
        public int[][] novelClusters(List<int[]> histories, int n) {
            return source.novelClusters(histories, n);
        }
    }
}
