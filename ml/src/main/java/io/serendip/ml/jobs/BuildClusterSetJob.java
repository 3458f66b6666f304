package io.serendip.ml.jobs;

import io.serendip.config.ArtifactLayout;
import io.serendip.ml.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole cluster-set build as one job, what an InterestClusterSet's build Job runs: import the catalog,
 * embed the items, cluster them. The artifact directory keeps the imported dataset ({@value #DATASET_DIR})
 * and the embeddings ({@value #EMBEDDINGS_DIR}) beside the clusters, so later jobs (the novelty-table
 * precompute) read exactly the engagement log the clusters were built from.
 */
@Command(name = "build-cluster-set", mixinStandardHelpOptions = true,
        description = "Import a catalog, embed its items and build the interest clusters in one artifact directory "
                + "(the job an InterestClusterSet runs).")
public final class BuildClusterSetJob extends Job {
    public static final String DATASET_DIR = ArtifactLayout.CLUSTER_SET_DATASET_DIR;
    public static final String EMBEDDINGS_DIR = ArtifactLayout.CLUSTER_SET_EMBEDDINGS_DIR;

    @Option(names = "--catalog-format", required = true,
            description = "movielens-100k (u.item/u.data), sequences (one line per user: user item item ...) or "
                    + "dataset (catalog.jsonl + interactions.jsonl, e.g. from generate-synthetic).")
    String catalogFormat;

    @Option(names = "--catalog", required = true, description = "Catalog directory (file for 'sequences').")
    Path catalog;

    @Option(names = "--embedding", defaultValue = "cooccurrence", description = "text or cooccurrence (default ${DEFAULT-VALUE}).")
    String embedding;

    @Mixin
    EmbeddingOptions model = new EmbeddingOptions();

    @Mixin
    ClusteringOptions clustering = new ClusteringOptions();

    @Mixin
    HeldOutSplitOptions heldOut = new HeldOutSplitOptions();

    @Mixin
    OutputDir output = new OutputDir();

    @Override
    protected void execute() throws Exception {
        Path dataset = output.path().resolve(DATASET_DIR);
        Path embeddings = output.path().resolve(EMBEDDINGS_DIR);
        Files.createDirectories(output.path());
        switch (catalogFormat) {
            case "movielens-100k" -> run(new DataJobs.ImportMovieLens(), j -> {
                j.source = catalog;
                j.output.set(dataset);
            });
            case "sequences" -> run(new DataJobs.ImportSequences(), j -> {
                j.input = catalog;
                j.output.set(dataset);
            });
            case "dataset" -> {
                Dataset copy = Dataset.read(catalog);
                copy.write(dataset);
                DataJobs.report(this, copy, dataset);
            }
            default -> throw new IllegalArgumentException(
                    "--catalog-format must be movielens-100k, sequences or dataset, got '" + catalogFormat + "'");
        }
        run(new PipelineJobs.Embed(), j -> {
            j.dataset.set(dataset);
            j.method = embedding;
            j.model = model;
            j.seed = clustering.seed;
            j.heldOut = heldOut;
            j.output.set(embeddings);
        });
        progress("levels %s", Arrays.toString(clustering.levels));
        run(new PipelineJobs.BuildClusters(), j -> {
            j.dataset.set(dataset);
            j.embeddingsDir = embeddings;
            j.clustering = clustering;
            j.output.set(output.path());
        });
    }

    // A step is another job run in this one's shell (same progress stream, failures propagate).
    private <J extends Job> void run(J step, java.util.function.Consumer<J> configure) throws Exception {
        step.spec = spec;
        configure.accept(step);
        step.execute();
    }
}
