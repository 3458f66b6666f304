package io.serendip.ml.interest;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.eval.HeldOutUsers;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.RandomNoveltySource;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;
import io.serendip.ml.transformer.CausalLmTrainer;
import io.serendip.ml.transformer.TokenExample;
import io.serendip.ml.transformer.TransformerConfig;
import io.serendip.ml.transformer.TransformerRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Curates {@code (c1..ck) -> c(k+1)} examples from positive-engagement sequences of the training users,
 * trains the interest LM (early stopping on held-out answer log-likelihood) and runs the quality gates on the
 * held-out users, next to the transition-frequency and random baselines.
 */
public final class InterestModelTrainer {

    /** A trained model and its gate report; {@link #save} refuses to write a model that failed a gate. */
    public record Trained(TransformerInterestModel model, InterestHyperparameters hyperparameters, GateReport gates,
                          int trainingExamples, int bestEpoch, double secondsPerEpoch, Map<String, Double> split) {

        public void save(Path dir, Map<String, String> inputs) throws IOException {
            if (!gates.passed()) {
                throw new IllegalStateException("quality gates failed: " + String.join("; ", gates.failures()));
            }
            Files.createDirectories(dir);
            model.saveFiles(dir, hyperparameters);
            ArtifactManifest.Builder manifest = ArtifactManifest.builder(TransformerInterestModel.KIND)
                    .metrics(gates.metrics())
                    .metric("training_examples", trainingExamples)
                    .metric("best_epoch", bestEpoch)
                    .metric("seconds_per_epoch", secondsPerEpoch)
                    .metrics(split);
            inputs.forEach(manifest::input);
            manifest.write(dir);
        }
    }

    private static final int SCORING_BATCH = 512;

    private InterestModelTrainer() {
    }

    public static Trained train(List<int[]> itemSequences, ClusterSet clusters, InterestTrainingSettings settings,
                                Consumer<String> progress) {
        int k = settings.historyLength();
        long seed = settings.training().seed();
        HeldOutUsers users = HeldOutUsers.split(itemSequences, clusters, settings.testFraction(),
                settings.splitSeed());
        List<int[]> test = users.test();
        List<int[]> train = users.train();

        List<int[]> windows = new ArrayList<>(InterestExamples.balanceByTarget(
                TransitionCurator.examples(train, k), settings.balanceCapFactor(), seed));
        if (settings.shortHistories()) {
            for (int j = 1; j < k; j++) {
                windows.addAll(InterestExamples.balanceByTarget(TransitionCurator.examples(train, j),
                        settings.balanceCapFactor(), seed + j));
            }
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no training examples: no user has " + (k + 1)
                    + " consecutive distinct clusters");
        }
        DescriptionVocabulary vocabulary = DescriptionVocabulary.fromDescriptions(clusters.descriptions());
        List<int[]> descriptions = TransformerInterestModel.tokenize(vocabulary, clusters.descriptions());
        int maxDescription = descriptions.stream().mapToInt(d -> d.length).max().orElseThrow();
        TransformerConfig config = new TransformerConfig(vocabulary.size(),
                PromptFormat.maxSequenceLength(k, maxDescription), settings.hiddenSize(), settings.layers(),
                settings.heads(), settings.dropout());

        Collections.shuffle(windows, new Random(seed + 100));
        int validationCount = Math.max(1, (int) Math.round(windows.size() * settings.validationShare()));
        List<int[]> validation = windows.subList(0, Math.min(validationCount, windows.size() - 1));
        List<TokenExample> examples = new ArrayList<>();
        for (int[] window : windows.subList(validation.size(), windows.size())) {
            examples.add(example(window, descriptions));
        }
        progress.accept(String.format("%d clusters, %d training users, %d held-out users, %d examples (%d for early"
                        + " stopping), vocabulary %d, max sequence %d", clusters.clusterCount(), train.size(),
                test.size(), examples.size(), validation.size(), vocabulary.size(), config.maxLength()));

        CausalLmTrainer.Result result = CausalLmTrainer.train("interest", config, examples, settings.training(),
                runner -> meanAnswerLogLikelihood(runner, validation, descriptions), progress);
        TransformerInterestModel model = new TransformerInterestModel(result.model(),
                new TransformerRunner(result.block(), result.model().getNDManager()), vocabulary, descriptions, k,
                settings.beamWidth());
        List<GateEvaluator.GateCase> cases = GateEvaluator.cases(test, k, settings.maxGateCases(), seed);
        List<NoveltySource> baselines = List.of(TransitionFrequencySource.fit(train, clusters.clusterCount(), k),
                new RandomNoveltySource(clusters.clusterCount(), seed));
        GateReport gates = GateEvaluator.evaluate(model, clusters.descriptions(), cases, baselines);
        progress.accept("gates: " + gates + (gates.passed() ? " -> PASSED" : " -> FAILED: "
                + String.join("; ", gates.failures())));
        InterestHyperparameters hyperparameters = new InterestHyperparameters(config, k, settings.beamWidth(),
                clusters.fingerprint(), settings.training());
        return new Trained(model, hyperparameters, gates, examples.size(), result.bestEpoch(), result.secondsPerEpoch(),
                users.manifestMetrics());
    }

    /** Training row: the prompt, then the answer tokens as targets (no loss on the prompt). */
    static TokenExample example(int[] window, List<int[]> descriptions) {
        int[] prompt = prompt(window, descriptions);
        int[] answer = PromptFormat.answer(descriptions.get(window[window.length - 1]));
        int[] sequence = ConstrainedDecoder.concat(prompt, answer);
        int[] input = Arrays.copyOf(sequence, sequence.length - 1);
        int[] target = new int[input.length];
        System.arraycopy(answer, 0, target, prompt.length - 1, answer.length);
        return new TokenExample(input, target);
    }

    private static int[] prompt(int[] window, List<int[]> descriptions) {
        List<int[]> history = new ArrayList<>();
        for (int i = 0; i < window.length - 1; i++) {
            history.add(descriptions.get(window[i]));
        }
        return PromptFormat.prompt(history);
    }

    /** Mean log-likelihood per example of the answer tokens under teacher forcing. */
    static double meanAnswerLogLikelihood(TransformerRunner runner, List<int[]> windows, List<int[]> descriptions) {
        List<int[]> prefixes = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (int[] window : windows) {
            int[] prompt = prompt(window, descriptions);
            int[] answer = PromptFormat.answer(descriptions.get(window[window.length - 1]));
            for (int j = 0; j < answer.length; j++) {
                prefixes.add(ConstrainedDecoder.concat(prompt, Arrays.copyOf(answer, j)));
                targets.add(answer[j]);
            }
        }
        double total = 0;
        for (int from = 0; from < prefixes.size(); from += SCORING_BATCH) {
            int to = Math.min(prefixes.size(), from + SCORING_BATCH);
            float[][] scores = runner.nextTokenScores(prefixes.subList(from, to).toArray(int[][]::new));
            for (int i = from; i < to; i++) {
                total += ConstrainedDecoder.logSoftmax(scores[i - from])[targets.get(i)];
            }
        }
        return total / windows.size();
    }
}
