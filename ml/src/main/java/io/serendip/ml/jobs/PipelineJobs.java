package io.serendip.ml.jobs;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.Digests;
import io.serendip.ml.artifact.NoveltyTableWriter;
import io.serendip.ml.cluster.ClusterBuilder;
import io.serendip.ml.cluster.ClusterQuality;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.CatalogItem;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.Interactions;
import io.serendip.ml.embed.CooccurrenceEmbedder;
import io.serendip.ml.embed.ItemEmbeddings;
import io.serendip.ml.embed.MiniLmTextEmbedder;
import io.serendip.ml.novelty.NoveltyPrecompute;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.Shard;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Jobs of the cluster / novelty-table half of the pipeline. */
final class PipelineJobs {
    static final String TABLE_FILE = io.serendip.ml.artifact.NoveltyTable.FILE_NAME;
    static final String NOVELTY_KIND = io.serendip.ml.artifact.NoveltyTable.KIND;

    /** Exit code of a job refused by a quality gate. */
    static final int GATE_FAILED = 3;

    private PipelineJobs() {
    }

    static Map<String, String> datasetInputs(Path dataset) {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("catalog", Digests.sha256(dataset.resolve(Catalog.FILE_NAME)));
        inputs.put("interactions", Digests.sha256(dataset.resolve(Interactions.FILE_NAME)));
        return inputs;
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Compute item embeddings: 'text' (all-MiniLM-L6-v2 over title, text and tags) or "
                    + "'cooccurrence' (truncated SVD of positive-PMI co-occurrence in positive sequences).")
    static final class Embed extends Job {
        @Mixin
        DatasetDir dataset = new DatasetDir();

        @Option(names = "--method", defaultValue = "text", description = "text or cooccurrence (default ${DEFAULT-VALUE}).")
        String method;

        @Mixin
        EmbeddingOptions model = new EmbeddingOptions();

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--model-cache", description = "Where the ONNX model is extracted (default: temp dir).")
        Path modelCache;

        @Mixin
        HeldOutSplitOptions heldOut = new HeldOutSplitOptions();

        @Mixin
        OutputDir output = new OutputDir();

        @Override
        protected void execute() throws Exception {
            Dataset data = Dataset.read(dataset.path());
            Catalog catalog = data.catalog();
            ItemEmbeddings embeddings;
            switch (method) {
                case "text" -> {
                    MiniLmTextEmbedder.Variant variant = MiniLmTextEmbedder.Variant.named(model.textModel);
                    progress("embedding %d item texts with %s (ONNX Runtime)", catalog.size(), variant.modelName());
                    try (MiniLmTextEmbedder embedder = MiniLmTextEmbedder.load(
                            modelCache != null ? modelCache : MiniLmTextEmbedder.defaultCacheDir(), variant)) {
                        List<String> texts = catalog.items().stream().map(CatalogItem::fullText).toList();
                        float[][] rows = embedder.embed(texts);
                        float[] flat = new float[rows.length * MiniLmTextEmbedder.DIMENSION];
                        for (int i = 0; i < rows.length; i++) {
                            System.arraycopy(rows[i], 0, flat, i * MiniLmTextEmbedder.DIMENSION, rows[i].length);
                        }
                        embeddings = new ItemEmbeddings(catalog.index(), MiniLmTextEmbedder.DIMENSION, flat);
                    }
                }
                case "cooccurrence" -> {
                    List<int[]> sequences = heldOut.trainingItems(data.positiveSequences().sequences());
                    progress("co-occurrence SVD, dimension %d, window %d, over %d users' sequences%s", model.dimension,
                            model.window, sequences.size(), heldOut.fraction > 0 ? String.format(
                                    " (held out: %.2f of users, split seed %d)", heldOut.fraction, heldOut.seed) : "");
                    embeddings = new ItemEmbeddings(catalog.index(), model.dimension, CooccurrenceEmbedder.embed(
                            sequences, catalog.size(), model.dimension, model.window, seed));
                }
                default -> throw new IllegalArgumentException("--method must be 'text' or 'cooccurrence', got '" + method + "'");
            }
            ArtifactManifest.Builder manifest = ArtifactManifest.builder(ItemEmbeddings.KIND)
                    .metrics(heldOut.manifestMetrics(method.equals("cooccurrence")));
            datasetInputs(dataset.path()).forEach(manifest::input);
            embeddings.write(output.path(), manifest.input("method:" + method, Digests.sha256(method.getBytes())));
            progress("wrote %s: %d x %d", output.path(), catalog.size(), embeddings.dimension());
        }
    }

    @Command(name = "build-clusters", mixinStandardHelpOptions = true,
            description = "Hierarchical k-means over item embeddings, TF-IDF keywords per cluster, quality report.")
    static final class BuildClusters extends Job {
        @Mixin
        DatasetDir dataset = new DatasetDir();

        @Option(names = "--embeddings", required = true, description = "Embeddings artifact directory.")
        Path embeddingsDir;

        @Mixin
        ClusteringOptions clustering = new ClusteringOptions();

        @Mixin
        OutputDir output = new OutputDir();

        @Override
        protected void execute() throws Exception {
            int[] levels = clustering.levels;
            int keywords = clustering.keywords;
            long seed = clustering.seed;
            if (keywords < 1) {
                throw new IllegalArgumentException("--keywords must be >= 1");
            }
            Catalog catalog = Catalog.read(dataset.path().resolve(Catalog.FILE_NAME));
            ItemEmbeddings embeddings = ItemEmbeddings.load(embeddingsDir);
            progress("clustering %d items (dimension %d) into levels %s", catalog.size(), embeddings.dimension(),
                    Arrays.toString(levels));
            ClusterBuilder.Result result = ClusterBuilder.build(catalog, embeddings, levels, keywords, seed);
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("catalog", Digests.sha256(dataset.path().resolve(Catalog.FILE_NAME)));
            inputs.put("embeddings", Digests.sha256(embeddingsDir.resolve(ItemEmbeddings.VECTORS_FILE)));
            // the cluster set carries what its embeddings were fit on, for evaluate to check
            ClusterBuilder.write(result, output.path(), inputs,
                    HeldOutSplitOptions.fitMetrics(ArtifactManifest.read(embeddingsDir).metrics()));
            for (ClusterQuality q : result.quality()) {
                progress("level %d: %d clusters, sizes %d..%d, balance %.3f, cohesion %.3f", q.level(), q.clusters(),
                        q.minSize(), q.maxSize(), q.balance(), q.cohesion());
            }
            ClusterSet clusters = result.clusters();
            for (int c = 0; c < Math.min(5, clusters.clusterCount()); c++) {
                progress("cluster %d (%d items): %s", c, clusters.itemsOf(c).length, clusters.description(c));
            }
            progress("wrote %s", output.path());
        }
    }

    @Command(name = "precompute-novelty", mixinStandardHelpOptions = true,
            description = "Precompute the novelty table (top-n novel clusters for every history of k distinct "
                    + "clusters, plus fallback rows), whole or one shard (--shard i/n) for an Indexed Job.")
    static final class PrecomputeNovelty extends Job {
        @Mixin
        DatasetDir dataset = new DatasetDir();

        @Mixin
        ClusterSetDir clustersDir = new ClusterSetDir();

        @Option(names = "--history-length", defaultValue = "2", description = "k (default ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--top-n", defaultValue = "10", description = "Clusters per row (default ${DEFAULT-VALUE}).")
        int topN;

        @Option(names = "--shard", description = "i/n: compute only shard i of n (0-based); output is then a directory "
                + "collecting shard files for merge-novelty.")
        String shard;

        @Option(names = "--interest-model", description = "Interest-model artifact for the main rows (default: the "
                + "transition-frequency baseline); fallback rows always come from transition frequency.")
        Path interestModel;

        @Option(names = "--beam-width", defaultValue = "0",
                description = "Beam width of the interest model's constrained search (default: the one it was trained with).")
        int beamWidth;

        @Option(names = "--threads", defaultValue = "1", description = "Worker threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Mixin
        OutputDir output = new OutputDir();

        @Override
        protected void execute() throws Exception {
            ClusterSet clusters = ClusterSet.load(clustersDir.path());
            Dataset data = Dataset.read(dataset.path());
            List<int[]> clusterSequences = TransitionCurator.clusterSequences(data.positiveSequences().sequences(), clusters);
            TransitionFrequencySource frequency = TransitionFrequencySource.fit(clusterSequences, clusters.clusterCount(), k);
            progress("%d clusters, k = %d, top-n = %d, %d curated transitions", clusters.clusterCount(), k, topN,
                    TransitionCurator.examples(clusterSequences, k).size());
            Files.createDirectories(output.path());
            Shard slice = shard == null ? Shard.ALL : Shard.parse(shard);
            Path file = shard == null ? output.path().resolve(TABLE_FILE)
                    : output.path().resolve(String.format("shard-%05d-of-%05d.bin", slice.index(), slice.count()));
            NoveltySource main = interestModel == null ? frequency
                    : ModelExtension.open(e -> e.interestModel(interestModel, clusters, beamWidth), "--interest-model", interestModel);
            progress("main rows from %s, %d thread(s)", main.name(), threads);
            NoveltyPrecompute.Summary summary = NoveltyPrecompute.run(file, clusters, k, topN, main, frequency, slice,
                    threads, done -> progress("row %d", done));
            progress("%d rows in %.2f s: %.0f histories/s, valid proposals %.4f", summary.rows(), summary.seconds(),
                    summary.rowsPerSecond(), summary.validRate());
            if (shard == null) {
                Map<String, String> inputs = datasetInputs(dataset.path());
                if (interestModel != null) {
                    inputs.put("interest-model", Digests.sha256(interestModel.resolve(ArtifactManifest.FILE_NAME)));
                }
                writeManifest(output.path(), clusters, inputs, summary.rows(), summary.validRate());
                progress("wrote %s", file);
            } else {
                progress("wrote shard %s; run merge-novelty when all %d shards are done", file, slice.count());
            }
        }
    }

    static void writeManifest(Path dir, ClusterSet clusters, Map<String, String> inputs, long rows, Double validRate) {
        ArtifactManifest.Builder manifest = ArtifactManifest.builder(NOVELTY_KIND);
        inputs.forEach(manifest::input);
        manifest.input("clusters", clusters.fingerprint());
        manifest.metric("rows", rows);
        if (validRate != null) {
            manifest.metric("validRate", validRate);
        }
        manifest.write(dir);
    }

    @Command(name = "merge-novelty", mixinStandardHelpOptions = true,
            description = "Merge the shard files of precompute-novelty --shard into one verified table artifact.")
    static final class MergeNovelty extends Job {
        @Option(names = "--shards", required = true, description = "Directory holding shard-*.bin files.")
        Path shards;

        @Mixin
        ClusterSetDir clustersDir = new ClusterSetDir();

        @Mixin
        OutputDir output = new OutputDir();

        @Option(names = "--interest-model", description = "Interest-model artifact the shards were computed with; "
                + "its recorded gate metrics are checked against the thresholds below before the table is published.")
        Path interestModel;

        @Option(names = "--min-exact-match-rate", description = "Refuse (exit 3) when the model's unconstrained exact-match rate is lower.")
        Double minExactMatchRate;

        @Option(names = "--min-recall", description = "Refuse (exit 3) when the model's held-out novel-interest recall is lower.")
        Double minRecall;

        @Override
        protected void execute() throws Exception {
            ClusterSet clusters = ClusterSet.load(clustersDir.path());
            checkGates();
            List<Path> files = new ArrayList<>();
            try (Stream<Path> list = Files.list(shards)) {
                list.filter(p -> p.getFileName().toString().matches("shard-\\d+-of-\\d+\\.bin")).sorted().forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no shard-*.bin files in " + shards);
            }
            Files.createDirectories(output.path());
            Path table = output.path().resolve(TABLE_FILE);
            var header = NoveltyTableWriter.merge(files, table);
            if (!header.fingerprintHex().equals(clusters.fingerprint())) {
                Files.delete(table);
                throw new IllegalArgumentException("shards were computed for another cluster set than " + clustersDir.path());
            }
            io.serendip.ml.artifact.NoveltyTable.open(table, clusters).close();
            writeManifest(output.path(), clusters, Map.of(), header.totalRows(), null);
            progress("merged %d shards into %s (%d rows)", files.size(), table, header.totalRows());
        }

        /** The deployment's gates over the metrics the training job recorded: a table is only published for a model that meets them. */
        private void checkGates() {
            if (minExactMatchRate == null && minRecall == null) {
                return;
            }
            if (interestModel == null) {
                throw new IllegalArgumentException("--min-exact-match-rate/--min-recall need --interest-model");
            }
            Map<String, Double> metrics = ArtifactManifest.read(interestModel).metrics();
            List<String> failures = new ArrayList<>();
            gate(metrics, "exact_match_rate", minExactMatchRate, failures);
            gate(metrics, "test_recall", minRecall, failures);
            if (!failures.isEmpty()) {
                throw new Failure(GATE_FAILED, "gates failed for " + interestModel + ": " + String.join("; ", failures));
            }
            progress("gates passed: %s", metrics.entrySet().stream()
                    .filter(e -> e.getKey().equals("exact_match_rate") || e.getKey().equals("test_recall"))
                    .map(e -> e.getKey() + " " + String.format(java.util.Locale.ROOT, "%.4f", e.getValue())).toList());
        }

        private static void gate(Map<String, Double> metrics, String name, Double min, List<String> failures) {
            if (min == null) {
                return;
            }
            Double value = metrics.get(name);
            if (value == null) {
                failures.add(name + " is not recorded in the model's manifest");
            } else if (value < min) {
                failures.add(String.format(java.util.Locale.ROOT, "%s %.4f < %.4f", name, value, min));
            }
        }
    }
}
