package io.serendip.ml.interest.llm;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.interest.GateEvaluator;
import io.serendip.ml.interest.GateReport;
import io.serendip.ml.eval.HeldOutUsers;
import io.serendip.ml.interest.InterestExamples;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.RandomNoveltySource;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Fine-tunes the novel-interest LLM: curates {@code (c1..ck) -> c(k+1)} transitions of the training users (the
 * paper's curation, balanced per target), writes each as an instruction prompt over the clusters' descriptions with
 * the next cluster's description as the answer, has the LLM component train a LoRA adapter on them, and runs the
 * quality gates on the held-out users beside the transition-frequency and random baselines.
 */
public final class LlmInterestTrainer {

    /** The training job's choices; {@code epochs == 0} keeps the base as it is (zero-shot). */
    public record Settings(BaseModel base, int historyLength, PromptTemplate template,
                           InterestDescriptions.Variant descriptions, int titles, int maxExamples, double balanceCap,
                           double testFraction, long splitSeed, int maxGateCases, int epochs, int batchSize, double learningRate,
                           int loraRank, int beamWidth, String quantization, long seed, int threads,
                           TrainingWorkers workers, Path checkpoint) {
    }

    /** A model staged in a directory, with its gates; {@link #publish} refuses a model that failed one. */
    public record Trained(Path staging, LlmInterestModel model, GateReport gates, int examples, double trainingSeconds,
                          Map<String, Double> split) {
        public void publish(Path output, Map<String, String> inputs) throws IOException {
            if (!gates.passed()) {
                throw new IllegalStateException("quality gates failed: " + String.join("; ", gates.failures()));
            }
            ArtifactManifest.Builder manifest = ArtifactManifest.builder(LlmInterestModel.KIND)
                    .metrics(gates.metrics())
                    .metric("training_examples", examples)
                    .metric("training_seconds", trainingSeconds)
                    .metrics(split);
            inputs.forEach(manifest::input);
            manifest.input("base", model.spec().base().sha256());
            manifest.write(staging);
            Files.createDirectories(output.getParent() == null ? Path.of(".") : output.toAbsolutePath().getParent());
            if (Files.isDirectory(output)) {
                Files.delete(output); // empty: the job refuses a non-empty --output before training
            }
            Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static final int MAX_VALIDATION = 64;
    private static final int SHOWN_MISSES = 12;
    private static final List<String> LORA_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj");

    private LlmInterestTrainer() {
    }

    /**
     * Trains into {@code staging} (a new directory beside the output); the caller publishes or deletes it. A worker
     * other than the first (see {@link TrainingWorkers}) joins the fine-tuning with a staging directory of its own and
     * gets null: the first worker evaluates and publishes.
     */
    public static Trained train(List<int[]> itemSequences, ClusterSet clusters, Catalog catalog, Settings settings,
                                Path staging, Consumer<String> progress) throws IOException {
        int k = settings.historyLength();
        HeldOutUsers users = HeldOutUsers.split(itemSequences, clusters, settings.testFraction(),
                settings.splitSeed());
        List<String> descriptions = InterestDescriptions.of(clusters, catalog, users.trainItems(),
                settings.descriptions(), settings.titles());
        List<int[]> windows = new ArrayList<>(InterestExamples.balanceByTarget(
                TransitionCurator.examples(users.train(), k), settings.balanceCap(), settings.seed()));
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no training examples: no user has " + (k + 1)
                    + " consecutive distinct clusters");
        }
        int curated = windows.size();
        Collections.shuffle(windows, new Random(settings.seed() + 100));
        int validationCount = Math.min(MAX_VALIDATION, Math.max(1, windows.size() / 20));
        List<int[]> validation = windows.subList(0, Math.min(validationCount, windows.size() - 1));
        List<int[]> training = windows.subList(validation.size(),
                Math.min(windows.size(), validation.size() + settings.maxExamples()));
        progress.accept(String.format("%d clusters, %d training users, %d held-out users, %d curated transitions,"
                        + " %d used for fine-tuning, %d for validation", clusters.clusterCount(), users.train().size(),
                users.test().size(), curated, training.size(), validation.size()));

        Files.createDirectories(staging);
        Path adapter = null;
        long started = System.nanoTime();
        String baseDigest = settings.base().sha256();
        if (settings.epochs() > 0) {
            Path out = staging.resolve("training-run");
            LlmRequests.Train request = new LlmRequests.Train(settings.base().ref(),
                    examples(training, descriptions, settings.template()),
                    examples(validation, descriptions, settings.template()),
                    new LlmRequests.Lora(settings.loraRank(), 2.0 * settings.loraRank(), 0.0, LORA_TARGETS),
                    settings.epochs(), settings.batchSize(), settings.learningRate(), settings.seed(),
                    threads(settings.threads()), out.toString(),
                    settings.checkpoint() == null ? null : settings.checkpoint().toString());
            Path requestFile = staging.resolve("train-request.json");
            LlmRequests.write(requestFile, request);
            try {
                LlmProcess.installed().run("train", requestFile, settings.workers().env(), progress);
            } finally {
                Files.deleteIfExists(requestFile);
            }
            if (!settings.workers().first()) {
                return null; // the first worker wrote the adapter and goes on to the gates
            }
            LlmRequests.TrainingReport report = LlmRequests.JSON.readValue(out.resolve("training.json").toFile(),
                    LlmRequests.TrainingReport.class);
            baseDigest = report.baseSha256();
            Files.move(out.resolve(LlmInterestModel.ADAPTER_DIR), staging.resolve(LlmInterestModel.ADAPTER_DIR));
            Files.move(out.resolve("training.json"), staging.resolve("training.json"));
            Files.delete(out);
            adapter = staging.resolve(LlmInterestModel.ADAPTER_DIR);
        } else if (baseDigest == null) {
            baseDigest = LlmProcess.installed().digest(settings.base().path());
        }
        double trainingSeconds = (System.nanoTime() - started) / 1e9;
        int longest = descriptions.stream().mapToInt(String::length).max().orElse(16);
        LlmInterestModel.Spec spec = new LlmInterestModel.Spec(LlmInterestModel.FORMAT_VERSION,
                new LlmRequests.BaseRef(settings.base().path().toString(), baseDigest), clusters.fingerprint(), k,
                settings.template().text(), settings.descriptions().name(), descriptions, settings.beamWidth(),
                settings.beamWidth(), Math.max(16, longest / 2), settings.quantization());
        LlmInterestModel.writeSpec(staging, spec);
        LlmInterestModel model = new LlmInterestModel(spec, new BaseModel(settings.base().path(), baseDigest), adapter,
                settings.threads(), LlmInterestModel.BATCH, progress);

        List<GateEvaluator.GateCase> cases = GateEvaluator.cases(users.test(), k, settings.maxGateCases(),
                settings.seed());
        // One component run answers every gate case: constrained proposals and the unconstrained greedy text.
        model.generateText(cases.stream().map(GateEvaluator.GateCase::history).toList());
        List<NoveltySource> baselines = List.of(
                TransitionFrequencySource.fit(users.train(), clusters.clusterCount(), k),
                new RandomNoveltySource(clusters.clusterCount(), settings.seed()));
        GateReport gates = GateEvaluator.evaluate(model, descriptions, cases, baselines);
        progress.accept("gates: " + gates + (gates.passed() ? " -> PASSED" : " -> FAILED: "
                + String.join("; ", gates.failures())));
        List<String> texts = model.generateText(cases.stream().map(GateEvaluator.GateCase::history).toList());
        for (String text : GateEvaluator.offDescription(descriptions, texts, SHOWN_MISSES)) {
            progress.accept("unconstrained answer that is no description: \"" + text + "\"");
        }
        return new Trained(staging, model, gates, training.size(), trainingSeconds, users.manifestMetrics());
    }

    static List<LlmRequests.Example> examples(List<int[]> windows, List<String> descriptions, PromptTemplate template) {
        List<LlmRequests.Example> result = new ArrayList<>(windows.size());
        for (int[] window : windows) {
            int[] history = java.util.Arrays.copyOf(window, window.length - 1);
            result.add(new LlmRequests.Example(template.render(history, descriptions),
                    descriptions.get(window[window.length - 1])));
        }
        return result;
    }

    private static int threads(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }
}
