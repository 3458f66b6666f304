package io.serendip.ml.interest;

import io.serendip.config.ArtifactLayout;
import io.serendip.ml.jobs.ClusterSetDir;
import io.serendip.ml.jobs.DatasetDir;
import io.serendip.ml.jobs.OutputDir;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.Digests;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.Interactions;
import io.serendip.ml.data.PositiveSequences;
import io.serendip.ml.interest.llm.BaseModel;
import io.serendip.ml.interest.llm.InterestDescriptions;
import io.serendip.ml.interest.llm.LlmInterestModel;
import io.serendip.ml.interest.llm.LlmInterestTrainer;
import io.serendip.ml.interest.llm.TrainingWorkers;
import io.serendip.ml.interest.llm.LlmProcess;
import io.serendip.ml.interest.llm.PromptTemplate;
import io.serendip.ml.transformer.CausalLmTrainer;
import io.serendip.ml.transformer.TorchThreads;
import io.serendip.ml.transformer.TrainingOptions;
import io.serendip.ml.jobs.Job;
import io.serendip.ml.jobs.TrainingJobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Batch job: curates cluster transitions, trains the novel-interest model and runs the quality gates. The model is
 * a pretrained LLM fine-tuned with LoRA ({@code --model llm}, the default, SmolLM2-135M-Instruct unless
 * {@code --base} names another) or a small transformer trained from scratch over the description words
 * ({@code --model from-scratch}). A missed gate exits with status {@value #GATE_FAILED} and writes no artifact.
 */
@Command(name = "train-interest-model", mixinStandardHelpOptions = true,
        description = "Train the novel-interest model over cluster descriptions (a fine-tuned pretrained LLM, or a small"
                + " transformer from scratch), gate it (exact-match >= 90%% unconstrained, 100%% valid constrained,"
                + " test recall >= 1.5%%) and write an interest-model artifact.")
public final class TrainInterestModelCommand extends Job {

    static final int GATE_FAILED = 3;
    /** Exit code of a training run that diverged (non-finite loss) with no epoch to keep. */
    static final int DIVERGED = 4;

    /** Which novel-interest model to train. */
    public enum Model { llm, from_scratch }

    @Option(names = "--model", defaultValue = "llm", converter = ModelConverter.class,
            description = "llm (a pretrained base fine-tuned with LoRA) or from-scratch (default ${DEFAULT-VALUE}).")
    Model model;

    @Option(names = "--base", description = "LLM: base model, a GGUF file or a Hugging Face-format directory"
            + " (default: " + BaseModel.DEFAULT_NAME + ", installed by llm/setup.sh).")
    String base;

    @Option(names = "--base-sha256", description = "LLM: the digest the base must have (the default's is pinned).")
    String baseSha256;

    @Option(names = "--prompt-template", description = "LLM: file with the instruction template; "
            + PromptTemplate.HISTORY + " becomes the history's numbered descriptions (default: a built-in one).")
    Path promptTemplate;

    @Option(names = "--descriptions", defaultValue = "KEYWORDS_AND_TITLES",
            description = "LLM: KEYWORDS or KEYWORDS_AND_TITLES (keywords then the most engaged-with titles; default ${DEFAULT-VALUE}).")
    InterestDescriptions.Variant descriptions;

    @Option(names = "--titles", defaultValue = "2", description = "LLM: titles per description (default ${DEFAULT-VALUE}).")
    int titles;

    @Option(names = "--max-examples", defaultValue = "800",
            description = "LLM: most curated examples fine-tuned on, a seeded sample (default ${DEFAULT-VALUE}).")
    int maxExamples;

    @Option(names = "--lora-rank", defaultValue = "8", description = "LLM: LoRA rank (default ${DEFAULT-VALUE}).")
    int loraRank;

    @Option(names = "--quantization", defaultValue = "none", description = "LLM: arithmetic of the gates and of every"
            + " later use of this version (evaluate, precompute): none (float32) or int8 (dynamic int8 linear layers,"
            + " about twice as fast on a CPU; default ${DEFAULT-VALUE}).")
    String quantization;

    @Option(names = "--zero-shot", description = "LLM: no fine-tuning; gate the base as it is.")
    boolean zeroShot;

    @Mixin
    DatasetDir dataset = new DatasetDir();

    @Mixin
    ClusterSetDir clustersDir = new ClusterSetDir();

    @Mixin
    OutputDir output = new OutputDir();

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

    @Option(names = "--beam-width", description = "Beam width of constrained decoding (default: 8 from scratch, 4 LLM).")
    Integer beamWidth;

    @Option(names = "--balance-cap", defaultValue = "3.0",
            description = "Cap per target cluster as a multiple of the median count; 0 disables (default ${DEFAULT-VALUE}).")
    double balanceCap;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "Users held out for the gates (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--split-seed", description = "Seed of the shuffle that holds users out (default: --seed). Models"
            + " trained with other --seed values but one --split-seed are judged on the same users.")
    Long splitSeed;

    @Option(names = "--max-gate-cases", defaultValue = "2000", description = "Most held-out cases decoded (default ${DEFAULT-VALUE}).")
    int maxGateCases;

    @Option(names = "--epochs", description = "Maximum epochs (default: 20 from scratch, 1 LLM).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Batch size (default: 128 from scratch, 8 LLM).")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam learning rate (default: 0.002 from scratch, 0.003 LLM).")
    Float learningRate;

    @Option(names = "--patience", defaultValue = "3", description = "Early-stopping patience (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--gate-report", paramLabel = "FILE", description = "Also write the gate numbers as one line of JSON"
            + " (passed or not) to FILE, e.g. the pod's termination log.")
    Path gateReport;

    @Mixin
    TrainingJobOptions common;

    /** Which worker of a multi-worker fine-tuning this process is (a PyTorchJob's pods are told by env). */
    TrainingWorkers workers;

    @Override
    protected void execute() throws Exception {
        try {
            workers = workers != null ? workers : TrainingWorkers.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new Failure(2, e.getMessage());
        }
        if (workers.world() > 1 && (model != Model.llm || zeroShot)) {
            throw new Failure(2, "WORLD_SIZE " + workers.world() + ": several workers fine-tune the LLM only"
                    + " (--model llm without --zero-shot)");
        }
        if (workers.first()) {
            common.prepare(output.path());
        } else {
            TorchThreads.limit(common.torchThreads); // the first worker alone writes --output
        }
        ClusterSet clusters = ClusterSet.load(clustersDir.path());
        Dataset data = Dataset.read(dataset.path());
        if (data.catalog().size() != clusters.items().size()) {
            throw new Failure(2, "catalog has " + data.catalog().size() + " items but the cluster set "
                    + clusters.items().size());
        }
        PositiveSequences sequences = PositiveSequences.from(data.interactions(), clusters.items(),
                common.ratingThreshold, null);
        Map<String, String> inputs = Map.of(
                "clusters", Digests.sha256(clustersDir.path().resolve(ArtifactManifest.FILE_NAME)),
                Catalog.FILE_NAME, Digests.sha256(dataset.path().resolve(Catalog.FILE_NAME)),
                Interactions.FILE_NAME, Digests.sha256(dataset.path().resolve(Interactions.FILE_NAME)));
        if (model == Model.llm) {
            trainLlm(sequences, clusters, data, inputs);
        } else {
            trainFromScratch(sequences, clusters, inputs);
        }
        if (workers.first()) {
            progress("wrote %s", output.path());
        }
    }

    private void trainLlm(PositiveSequences sequences, ClusterSet clusters, Dataset data, Map<String, String> inputs)
            throws Exception {
        PromptTemplate template;
        try {
            template = promptTemplate == null ? PromptTemplate.DEFAULT
                    : new PromptTemplate(Files.readString(promptTemplate));
        } catch (IllegalArgumentException e) {
            throw new Failure(2, "--prompt-template " + promptTemplate + ": " + e.getMessage());
        }
        if (!LlmInterestModel.Spec.QUANTIZATIONS.contains(quantization)) {
            throw new Failure(2, "--quantization must be one of " + LlmInterestModel.Spec.QUANTIZATIONS + ", got "
                    + quantization);
        }
        BaseModel baseModel;
        try {
            baseModel = BaseModel.of(base, baseSha256);
        } catch (IllegalArgumentException e) {
            throw new Failure(2, e.getMessage()); // unusable input: no retry would find the base
        }
        LlmInterestTrainer.Settings settings = new LlmInterestTrainer.Settings(baseModel, historyLength, template,
                descriptions, titles, maxExamples, balanceCap, testFraction, splitSeed(), maxGateCases,
                zeroShot ? 0 : orDefault(epochs, 1), orDefault(batchSize, 8), orDefault(learningRate, 3e-3f),
                loraRank, orDefault(beamWidth, 4), quantization, common.seed, common.torchThreads, workers,
                checkpoint());
        Path staging = workers.first()
                ? output.path().toAbsolutePath().resolveSibling("." + output.path().getFileName() + ".partial")
                : Files.createTempDirectory("serendip-worker-" + workers.rank() + "-");
        LlmInterestModel.deleteQuietly(staging);
        try {
            LlmInterestTrainer.Trained trained = LlmInterestTrainer.train(sequences.sequences(), clusters,
                    data.catalog(), settings, staging, line -> progress("%s", line));
            if (trained == null) {
                progress("worker %d of %d: training done; worker 0 evaluates the gates and publishes", workers.rank(),
                        workers.world());
                return;
            }
            requirePassed(report(trained.gates()));
            trained.publish(output.path(), inputs);
        } catch (LlmProcess.LlmFailure e) {
            Files.deleteIfExists(checkpoint()); // a final refusal: a retry would resume into the same end
            throw new Failure(e.diverged() ? DIVERGED : 2, e.getMessage() + "; no artifact written");
        } finally {
            LlmInterestModel.deleteQuietly(staging);
        }
    }

    private void trainFromScratch(PositiveSequences sequences, ClusterSet clusters, Map<String, String> inputs)
            throws Exception {
        InterestTrainingSettings settings = new InterestTrainingSettings(historyLength, true, hidden, layers, heads,
                dropout, orDefault(beamWidth, 8), balanceCap, testFraction, splitSeed(), maxGateCases, 0.05,
                new TrainingOptions(orDefault(epochs, 20), orDefault(batchSize, 128), orDefault(learningRate, 0.002f),
                        patience, common.seed).withCheckpoint(checkpoint()));
        InterestModelTrainer.Trained trained;
        try {
            trained = InterestModelTrainer.train(sequences.sequences(), clusters, settings, line -> progress("%s", line));
        } catch (CausalLmTrainer.Diverged e) {
            Files.deleteIfExists(checkpoint());
            throw new Failure(DIVERGED, e.getMessage() + "; no artifact written");
        }
        try {
            Files.deleteIfExists(checkpoint()); // trained: what follows (gates, saving) needs no resume
            requirePassed(report(trained.gates()));
            trained.save(output.path(), inputs);
        } finally {
            trained.model().close();
        }
    }

    /** The checkpoint a retried pod resumes the training from, beside --output. */
    private Path checkpoint() {
        return Path.of(ArtifactLayout.checkpointOf(output.path().toAbsolutePath().toString()));
    }

    /** Leaves the gate numbers where {@code --gate-report} asks, passed or not. */
    private GateReport report(GateReport gates) throws IOException {
        if (gateReport != null) {
            gates.writeJson(gateReport);
        }
        return gates;
    }

    private static void requirePassed(GateReport gates) {
        if (!gates.passed()) {
            throw new Failure(GATE_FAILED, "quality gates failed, no artifact written: "
                    + String.join("; ", gates.failures()));
        }
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Accepts {@code from-scratch} for the enum constant {@code from_scratch}. */
    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            return Model.valueOf(value.replace('-', '_'));
        }
    }

    private long splitSeed() {
        return splitSeed != null ? splitSeed : common.seed;
    }
}
