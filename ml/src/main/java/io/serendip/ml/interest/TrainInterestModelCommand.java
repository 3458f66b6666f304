package io.serendip.ml.interest;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.Digests;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.Interactions;
import io.serendip.ml.data.PositiveSequences;
import io.serendip.ml.recommender.TrainingOptions;
import io.serendip.ml.jobs.Job;
import io.serendip.ml.jobs.TrainingJobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * Batch job: curates cluster transitions, trains the novel-interest LM and runs the quality gates. A missed
 * gate exits with status {@value #GATE_FAILED} and writes no artifact.
 */
@Command(name = "train-interest-model", mixinStandardHelpOptions = true,
        description = "Train the novel-interest language model over cluster descriptions, gate it (exact-match >= 90%%"
                + " unconstrained, 100%% valid constrained, test recall >= 1.5%%) and write an interest-model artifact.")
public final class TrainInterestModelCommand extends Job {

    static final int GATE_FAILED = 3;

    @Option(names = "--dataset", required = true, description = "Dataset directory (catalog.jsonl + interactions.jsonl).")
    Path dataset;

    @Option(names = "--clusters", required = true, description = "Cluster artifact directory.")
    Path clustersDir;

    @Option(names = "--output", required = true, description = "Artifact directory to create (must not exist or be empty).")
    Path output;

    @Option(names = "--history-length", defaultValue = "2", description = "k distinct clusters per history (default ${DEFAULT-VALUE}).")
    int historyLength;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden size (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "Transformer blocks (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "2", description = "Attention heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout (default ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--beam-width", defaultValue = "8", description = "Beam width of constrained decoding (default ${DEFAULT-VALUE}).")
    int beamWidth;

    @Option(names = "--balance-cap", defaultValue = "3.0",
            description = "Cap per target cluster as a multiple of the median count; 0 disables (default ${DEFAULT-VALUE}).")
    double balanceCap;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "Users held out for the gates (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--max-gate-cases", defaultValue = "2000", description = "Most held-out cases decoded (default ${DEFAULT-VALUE}).")
    int maxGateCases;

    @Option(names = "--epochs", defaultValue = "20", description = "Maximum epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.002", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--patience", defaultValue = "3", description = "Early-stopping patience (default ${DEFAULT-VALUE}).")
    int patience;



    @Mixin
    TrainingJobOptions common;

    @Override
    protected void execute() throws Exception {
        common.prepare(output);
        ClusterSet clusters = ClusterSet.load(clustersDir);
        Dataset data = Dataset.read(dataset);
        if (data.catalog().size() != clusters.items().size()) {
            throw new Failure(2, "catalog has " + data.catalog().size() + " items but the cluster set "
                    + clusters.items().size());
        }
        PositiveSequences sequences = PositiveSequences.from(data.interactions(), clusters.items(),
                common.ratingThreshold, null);
        InterestTrainingSettings settings = new InterestTrainingSettings(historyLength, true, hidden, layers, heads,
                dropout, beamWidth, balanceCap, testFraction, maxGateCases, 0.05,
                new TrainingOptions(epochs, batchSize, learningRate, patience, common.seed));
        InterestModelTrainer.Trained trained = InterestModelTrainer.train(sequences.sequences(), clusters, settings,
                line -> progress("%s", line));
        try {
            if (!trained.gates().passed()) {
                throw new Failure(GATE_FAILED, "quality gates failed, no artifact written: "
                        + String.join("; ", trained.gates().failures()));
            }
            trained.save(output, Map.of(
                    "clusters", Digests.sha256(clustersDir.resolve(ArtifactManifest.FILE_NAME)),
                    Catalog.FILE_NAME, Digests.sha256(dataset.resolve(Catalog.FILE_NAME)),
                    Interactions.FILE_NAME, Digests.sha256(dataset.resolve(Interactions.FILE_NAME))));
        } finally {
            trained.model().close();
        }
        progress("wrote %s", output);
    }
}
