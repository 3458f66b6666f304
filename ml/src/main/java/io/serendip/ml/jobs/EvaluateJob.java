package io.serendip.ml.jobs;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.eval.Evaluation;
import io.serendip.ml.eval.EvaluationReport;
import io.serendip.ml.eval.HistoryFutureSplit;
import io.serendip.ml.eval.LeaveOneOutSplit;
import io.serendip.ml.eval.NextItemScorer;
import io.serendip.ml.novelty.BlendedNoveltySource;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code job evaluate}: accuracy and exploration report for a dataset and cluster set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate accuracy (HR/NDCG@10/20: popularity, item-transition, optional recommender) and "
                + "exploration (valid-cluster rate, novel-interest recall, explored share, coverage: transition-frequency, "
                + "random, optional interest model); writes report.md, report.json and SVG charts.")
final class EvaluateJob extends Job {
    @Option(names = "--dataset", required = true, description = "Dataset directory.")
    Path dataset;

    @Option(names = "--clusters", required = true, description = "Cluster artifact directory.")
    Path clustersDir;

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

    @Option(names = "--interest-model", description = "Interest-model artifact to evaluate beside the baselines.")
    Path interestModel;

    @Option(names = "--blend-min-count", split = ",", paramLabel = "N",
            description = "With --interest-model: also evaluate blends that answer a history by transition frequency "
                    + "when its counts saw at least N transitions after it, else by the model (one row per N).")
    List<Integer> blendMinCounts = List.of();

    @Option(names = "--output", required = true, description = "Report directory to write.")
    Path output;

    @Override
    protected void execute() throws Exception {
        if (interestModel == null && !blendMinCounts.isEmpty()) {
            throw new IllegalArgumentException("--blend-min-count needs --interest-model (a blend of which model?)");
        }
        ClusterSet clusters = ClusterSet.load(clustersDir);
        Dataset data = Dataset.read(dataset);
        if (!data.catalog().index().ids().equals(clusters.items().ids())) {
            throw new IllegalArgumentException("cluster set " + clustersDir + " was built for another catalog");
        }
        List<Function<LeaveOneOutSplit, NextItemScorer>> scorers = new ArrayList<>();
        if (recommender != null) {
            NextItemScorer scorer = ModelExtension.open(e -> e.recommender(recommender), "--recommender", recommender);
            scorers.add(split -> scorer);
        }
        List<Function<HistoryFutureSplit, NoveltySource>> sources = new ArrayList<>();
        if (interestModel != null) {
            NoveltySource source = ModelExtension.open(e -> e.interestModel(interestModel, clusters), "--interest-model",
                    interestModel);
            sources.add(split -> source);
            for (int minCount : blendMinCounts) {
                sources.add(split -> new BlendedNoveltySource(source, TransitionFrequencySource.fit(
                        TransitionCurator.clusterSequences(split.histories(), clusters), clusters.clusterCount(), k),
                        minCount));
            }
        }
        String datasetName = name != null ? name : dataset.toAbsolutePath().normalize().getFileName().toString();
        EvaluationReport report = Evaluation.run(data.positiveSequences().sequences(), clusters,
                new Evaluation.Options(datasetName, k, n, seed, scorers, sources), line -> progress("%s", line));
        Map<String, Double> quality = new LinkedHashMap<>();
        ArtifactManifest.read(clustersDir).metrics().forEach((key, value) -> {
            if (key.startsWith("level")) {
                quality.put(key, value);
            }
        });
        report = report.withClusterQuality(quality);
        report.writeTo(output);
        report.accuracy().forEach((model, metrics) -> progress("%s: %s", model, metrics));
        report.exploration().forEach((source, metrics) -> progress("%s: %s", source, metrics));
        progress("wrote %s", output);
    }
}
