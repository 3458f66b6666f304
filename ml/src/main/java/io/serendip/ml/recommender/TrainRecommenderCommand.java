package io.serendip.ml.recommender;

import io.serendip.config.ArtifactLayout;
import io.serendip.ml.jobs.DatasetDir;
import io.serendip.ml.jobs.OutputDir;
import io.serendip.ml.transformer.CausalTransformerBlock;
import io.serendip.ml.transformer.TrainingOptions;

import io.serendip.ml.artifact.Digests;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.Interactions;
import io.serendip.ml.data.PositiveSequences;
import io.serendip.ml.embed.ItemEmbeddings;
import io.serendip.ml.eval.LeaveOneOutSplit;
import io.serendip.ml.jobs.Job;
import io.serendip.ml.jobs.TrainingJobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Batch job: trains the sequence recommender on a dataset directory and writes a recommender artifact. */
@Command(name = "train-recommender", mixinStandardHelpOptions = true,
        description = "Train the SASRec-style sequence recommender (leave-one-out, early stopping on validation"
                + " NDCG@10) and write a recommender artifact.")
public final class TrainRecommenderCommand extends Job {

    @Mixin
    DatasetDir dataset = new DatasetDir();

    @Mixin
    OutputDir output = new OutputDir();

    @Option(names = "--max-length", defaultValue = "50", description = "Longest history read (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden size (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "Self-attention blocks (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "2", description = "Attention heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--dropout", defaultValue = "0.3", description = "Dropout rate (default ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--epochs", defaultValue = "200", description = "Maximum epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}).")
    int patience;



    @Option(names = "--item-embeddings",
            description = "Embeddings artifact (job embed, text or co-occurrence) to start the item embeddings from:"
                    + " matched by item id, reduced to --hidden by principal components; default: a random start.")
    Path itemEmbeddings;

    @Option(names = "--export-sequences",
            description = "Also write the positive sequences used (common sequence format), e.g. for a reference run.")
    Path exportSequences;

    @Mixin
    TrainingJobOptions common;

    @Override
    protected void execute() throws Exception {
        common.prepare(output.path());
        progress("reading %s", dataset.path());
        Dataset data = Dataset.read(dataset.path());
        var items = data.catalog().index();
        int[] skipped = new int[1];
        PositiveSequences sequences = PositiveSequences.from(data.interactions(), items, common.ratingThreshold, skipped);
        progress("%d users, %d positive events, %d items (%d events with unknown items skipped)",
                sequences.size(), sequences.eventCount(), items.size(), skipped[0]);
        if (exportSequences != null) {
            sequences.writeSequenceFormat(exportSequences, items);
            progress("wrote sequences to %s", exportSequences);
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(sequences.sequences(), items.size(),
                LeaveOneOutSplit.DEFAULT_MIN_LENGTH);
        Path checkpoint = Path.of(ArtifactLayout.checkpointOf(output.path().toAbsolutePath().toString()));
        TrainingOptions options = new TrainingOptions(epochs, batchSize, learningRate, patience, common.seed)
                .withCheckpoint(checkpoint);
        Map<String, String> inputs = new java.util.TreeMap<>(Map.of(
                Catalog.FILE_NAME, Digests.sha256(dataset.path().resolve(Catalog.FILE_NAME)),
                Interactions.FILE_NAME, Digests.sha256(dataset.path().resolve(Interactions.FILE_NAME))));
        float[] start = null;
        if (itemEmbeddings != null) {
            ItemEmbeddings source = ItemEmbeddings.load(itemEmbeddings);
            ItemEmbeddingInit.Init init = ItemEmbeddingInit.of(source, items, hidden, CausalTransformerBlock.INIT_STD,
                    common.seed);
            start = init.vectors();
            inputs.put("item-embeddings/" + ItemEmbeddings.VECTORS_FILE,
                    Digests.sha256(itemEmbeddings.resolve(ItemEmbeddings.VECTORS_FILE)));
            progress("item embeddings start from %s: %d of %d items matched, %d -> %d dimensions keeping %.1f%% of"
                    + " the variance", itemEmbeddings, init.matched(), items.size(), source.dimension(),
                    Math.min(source.dimension(), hidden), 100 * init.explainedVariance());
        }
        SequenceRecommenderTrainer.Trained trained = SequenceRecommenderTrainer.train(split, maxLength, hidden,
                layers, heads, dropout, options, start, line -> progress("%s", line));
        try {
            trained.save(output.path(), items, inputs);
        } finally {
            trained.recommender().close();
        }
        Files.deleteIfExists(checkpoint); // published: a retry has nothing to resume
        progress("wrote %s", output.path());
    }
}
