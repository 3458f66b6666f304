package io.serendip.ml.recommender;

import io.serendip.ml.transformer.CausalLmTrainer;
import io.serendip.ml.transformer.TransformerConfig;
import io.serendip.ml.transformer.TokenExample;
import io.serendip.ml.transformer.TrainingOptions;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.eval.LeaveOneOutSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Trains the SASRec-style recommender with the leave-one-out protocol: per user the last item is the
 * test target, the second-last the validation target, the rest is training data. Early stopping on
 * validation NDCG@10 (full ranking, history items excluded).
 */
public final class SequenceRecommenderTrainer {

    /** A trained recommender with its validation and test accuracy. */
    public record Trained(TransformerSequenceRecommender recommender, TrainingOptions options,
                          FullRankingEvaluator.Accuracy validation, FullRankingEvaluator.Accuracy test,
                          int bestEpoch, int epochsRun, double secondsPerEpoch) {

        /** Metrics recorded in the artifact manifest. */
        public Map<String, Double> metrics() {
            Map<String, Double> metrics = new TreeMap<>();
            metrics.put("valid_ndcg@10", validation.ndcg10());
            metrics.put("valid_hr@10", validation.hitRate10());
            metrics.put("test_hr@10", test.hitRate10());
            metrics.put("test_ndcg@10", test.ndcg10());
            metrics.put("test_hr@20", test.hitRate20());
            metrics.put("test_ndcg@20", test.ndcg20());
            metrics.put("test_users", (double) test.cases());
            metrics.put("epochs_run", (double) epochsRun);
            metrics.put("best_epoch", (double) bestEpoch);
            metrics.put("seconds_per_epoch", secondsPerEpoch);
            return metrics;
        }

        /** Writes parameters, hyper-parameters and the manifest into an empty or new directory. */
        public void save(Path dir, ItemIndex items, Map<String, String> inputs) throws IOException {
            if (items.size() != recommender.itemCount()) {
                throw new IllegalArgumentException("item index has " + items.size() + " items, the model "
                        + recommender.itemCount());
            }
            java.nio.file.Files.createDirectories(dir);
            recommender.saveFiles(dir, options);
            items.write(dir.resolve(TransformerSequenceRecommender.ITEMS_FILE));
            ArtifactManifest.Builder manifest = ArtifactManifest.builder(TransformerSequenceRecommender.KIND)
                    .metrics(metrics());
            inputs.forEach(manifest::input);
            manifest.write(dir);
        }
    }

    private SequenceRecommenderTrainer() {
    }

    /**
     * Trains on {@link LeaveOneOutSplit#trainingSequences()}, early-stops on the validation targets and
     * reports accuracy on the test targets (history = training prefix plus the validation item).
     */
    public static Trained train(LeaveOneOutSplit split, int maxLength, int hiddenSize, int layers,
                                int heads, float dropout, TrainingOptions options, Consumer<String> progress) {
        return train(split, maxLength, hiddenSize, layers, heads, dropout, options, null, progress);
    }

    /** As above, the item embeddings starting from {@code itemEmbeddings} (item index order, hidden size wide). */
    public static Trained train(LeaveOneOutSplit split, int maxLength, int hiddenSize, int layers, int heads,
                                float dropout, TrainingOptions options, float[] itemEmbeddings,
                                Consumer<String> progress) {
        int itemCount = split.itemCount();
        TransformerConfig config = new TransformerConfig(itemCount + 1, maxLength, hiddenSize, layers, heads, dropout);
        List<TokenExample> examples = new ArrayList<>();
        List<int[]> training = split.trainingSequences();
        for (int u = 0; u < training.size(); u++) {
            int[] sequence = training.get(u);
            int[] tokens = new int[sequence.length];
            for (int i = 0; i < sequence.length; i++) {
                if (sequence[i] < 0 || sequence[i] >= itemCount) {
                    throw new IllegalArgumentException("training sequence " + u + " item " + i + " = " + sequence[i]
                            + " is outside 0.." + (itemCount - 1));
                }
                tokens[i] = sequence[i] + 1;
            }
            examples.addAll(TokenExample.windows(tokens, maxLength));
        }
        List<FullRankingEvaluator.Case> validation = new ArrayList<>();
        List<FullRankingEvaluator.Case> test = new ArrayList<>();
        for (LeaveOneOutSplit.UserSplit user : split.users()) {
            validation.add(new FullRankingEvaluator.Case(user.validHistory(), user.validTarget()));
            test.add(new FullRankingEvaluator.Case(user.testHistory(), user.testTarget()));
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training sequence has two or more items");
        }
        progress.accept(String.format("training on %d users, %d items, %d windows", validation.size(), itemCount,
                examples.size()));
        CausalLmTrainer.Result result = CausalLmTrainer.train("recommender", config, examples, options, itemEmbeddings,
                runner -> FullRankingEvaluator.evaluate(
                        new TransformerSequenceRecommender(runner, itemCount), validation).ndcg10(),
                progress);
        TransformerSequenceRecommender recommender = new TransformerSequenceRecommender(result.model(),
                result.block(), itemCount);
        FullRankingEvaluator.Accuracy validationAccuracy = FullRankingEvaluator.evaluate(recommender, validation);
        FullRankingEvaluator.Accuracy testAccuracy = FullRankingEvaluator.evaluate(recommender, test);
        progress.accept(String.format("best epoch %d: valid NDCG@10 %.4f HR@10 %.4f | test NDCG@10 %.4f HR@10 %.4f"
                        + " NDCG@20 %.4f HR@20 %.4f | %.2f s/epoch", result.bestEpoch(), validationAccuracy.ndcg10(),
                validationAccuracy.hitRate10(), testAccuracy.ndcg10(), testAccuracy.hitRate10(), testAccuracy.ndcg20(),
                testAccuracy.hitRate20(), result.secondsPerEpoch()));
        return new Trained(recommender, options, validationAccuracy, testAccuracy, result.bestEpoch(),
                result.epochsRun(), result.secondsPerEpoch());
    }
}
