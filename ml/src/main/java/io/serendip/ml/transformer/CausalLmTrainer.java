package io.serendip.ml.transformer;

import io.serendip.ml.jobs.Termination;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Trains a {@link CausalTransformerBlock} on next-token examples with full-softmax cross-entropy and
 * Adam, scoring a validation function after every epoch and keeping the best parameters (early
 * stopping after {@code patience} epochs without improvement).
 */
public final class CausalLmTrainer {

    /** Training that turned non-finite before any epoch finished with finite loss: there is nothing to keep. */
    public static final class Diverged extends IllegalStateException {
        public Diverged(int epoch, double loss, float learningRate) {
            super(String.format("training diverged in epoch %d (mean loss %s at learning rate %s) before any epoch"
                    + " could be kept; lower --learning-rate", epoch, loss, learningRate));
        }
    }

    /** Result of a training run: the model holds the best parameters seen. */
    public record Result(Model model, CausalTransformerBlock block, double bestValidation, int bestEpoch,
                         int epochsRun, double secondsPerEpoch, double finalLoss) {
    }

    private CausalLmTrainer() {
    }

    /**
     * @param validation higher is better; called with a runner over the current parameters
     * @param progress   one line per epoch
     */
    public static Result train(String name, TransformerConfig config, List<TokenExample> examples,
                               TrainingOptions options, ToDoubleFunction<TransformerRunner> validation,
                               Consumer<String> progress) {
        return train(name, config, examples, options, null, validation, progress);
    }

    /**
     * As above, with the embeddings of tokens 1..vocabularySize-1 starting from {@code tokenEmbeddings}
     * (row-major, hidden size wide; token 0, the padding, keeps its random start) instead of random values.
     */
    public static Result train(String name, TransformerConfig config, List<TokenExample> examples,
                               TrainingOptions options, float[] tokenEmbeddings,
                               ToDoubleFunction<TransformerRunner> validation, Consumer<String> progress) {
        if (tokenEmbeddings != null
                && tokenEmbeddings.length != (long) (config.vocabularySize() - 1) * config.hiddenSize()) {
            throw new IllegalArgumentException("tokenEmbeddings must hold " + (config.vocabularySize() - 1) + " x "
                    + config.hiddenSize() + " values, got " + tokenEmbeddings.length);
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) options.seed());
        Device device = engine.defaultDevice();
        Model model = Model.newInstance(name, device, "PyTorch");
        CausalTransformerBlock block = new CausalTransformerBlock(config);
        model.setBlock(block);
        // gradient clipping keeps a too-high learning rate from turning the weights into NaN
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(options.learningRate()))
                .optClipGrad(1.0f).build();
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(adam).optDevices(new Device[] {device});
        List<TokenExample> order = new ArrayList<>(examples);
        Random random = new Random(options.seed());
        TransformerRunner runner = new TransformerRunner(block, model.getNDManager());
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        float[][] bestParameters = null;
        int epoch = 0;
        double trainingSeconds = 0;
        double lastLoss = Double.NaN;
        try (Trainer trainer = new Trainer(model, trainingConfig)) {
            trainer.initialize(new Shape(1, config.maxLength()));
            if (tokenEmbeddings != null) {
                NDArray table = block.tokenEmbedding().getArray();
                float[] values = table.toFloatArray();
                System.arraycopy(tokenEmbeddings, 0, values, config.hiddenSize(), tokenEmbeddings.length);
                table.set(java.nio.FloatBuffer.wrap(values));
            }
            String fingerprint = fingerprint(name, config, examples, options, tokenEmbeddings);
            Optional<TrainerCheckpoint> resumed = options.checkpoint() == null ? Optional.empty()
                    : readCheckpoint(options.checkpoint(), fingerprint, progress);
            if (resumed.isPresent()) {
                TrainerCheckpoint c = resumed.get();
                restore(block, c.current());
                epoch = c.epoch();
                best = c.best();
                bestEpoch = c.bestEpoch();
                bestParameters = c.bestParameters();
                trainingSeconds = c.trainingSeconds();
                lastLoss = c.lastLoss();
                for (int e = 0; e < epoch; e++) {
                    Collections.shuffle(order, random); // the example order of the epochs done
                }
                progress.accept(String.format("resuming after epoch %d/%d from %s (best epoch %d, validation %.4f)",
                        epoch, options.maxEpochs(), options.checkpoint(), bestEpoch, best));
            }
            while (epoch < options.maxEpochs()) {
                epoch++;
                long started = System.nanoTime();
                Collections.shuffle(order, random);
                double lossSum = 0;
                int batches = 0;
                for (int from = 0; from < order.size(); from += options.batchSize()) {
                    Termination.check("in epoch " + epoch + "; the checkpoint keeps epoch " + (epoch - 1));
                    List<TokenExample> batch = order.subList(from, Math.min(order.size(), from + options.batchSize()));
                    lossSum += step(trainer, block, batch);
                    batches++;
                }
                trainingSeconds += (System.nanoTime() - started) / 1e9;
                lastLoss = lossSum / batches;
                if (!Double.isFinite(lastLoss)) {
                    if (bestParameters != null) { // else thrown below: there is no epoch to keep
                        progress.accept(String.format("epoch %d loss %s: training diverged; keeping epoch %d"
                                + " (validation %.4f)", epoch, lastLoss, bestEpoch, best));
                    }
                    break;
                }
                double score = validation.applyAsDouble(runner);
                boolean improved = score > best;
                // "epoch E/N ... loss L validation V": the line the operator reads a training Job's progress from
                progress.accept(String.format("epoch %d/%d loss %.4f validation %.4f%s", epoch, options.maxEpochs(),
                        lastLoss, score, improved ? " (best)" : ""));
                if (improved) {
                    best = score;
                    bestEpoch = epoch;
                    bestParameters = snapshot(block);
                } else if (epoch - bestEpoch >= options.patience()) {
                    break;
                }
                if (options.checkpoint() != null && epoch < options.maxEpochs()) {
                    writeCheckpoint(options.checkpoint(), new TrainerCheckpoint(fingerprint, epoch, best, bestEpoch,
                            trainingSeconds, lastLoss, snapshot(block), bestParameters));
                }
            }
        }
        if (bestParameters == null && !Double.isFinite(lastLoss)) {
            model.close();
            throw new Diverged(epoch, lastLoss, options.learningRate());
        }
        restore(block, bestParameters);
        return new Result(model, block, best, bestEpoch, epoch, trainingSeconds / epoch, lastLoss);
    }

    private static Optional<TrainerCheckpoint> readCheckpoint(java.nio.file.Path file, String fingerprint,
                                                              Consumer<String> progress) {
        try {
            return TrainerCheckpoint.read(file, fingerprint, progress);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeCheckpoint(java.nio.file.Path file, TrainerCheckpoint checkpoint) {
        try {
            checkpoint.write(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** What a checkpoint must have been written for: the model's shape, the examples, the options. */
    private static String fingerprint(String name, TransformerConfig config, List<TokenExample> examples,
                                      TrainingOptions options, float[] tokenEmbeddings) {
        long h = 17;
        for (TokenExample e : examples) {
            h = h * 31 + java.util.Arrays.hashCode(e.input());
            h = h * 31 + java.util.Arrays.hashCode(e.target());
        }
        String key = name + "|" + config + "|" + examples.size() + "|" + h + "|" + options.maxEpochs() + "|"
                + options.batchSize() + "|" + options.learningRate() + "|" + options.patience() + "|" + options.seed()
                + "|" + (tokenEmbeddings == null ? 0 : java.util.Arrays.hashCode(tokenEmbeddings));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double step(Trainer trainer, CausalTransformerBlock block, List<TokenExample> batch) {
        int width = 0;
        for (TokenExample example : batch) {
            width = Math.max(width, example.input().length);
        }
        long[] input = new long[batch.size() * width];
        long[] target = new long[batch.size() * width];
        for (int row = 0; row < batch.size(); row++) {
            TokenExample example = batch.get(row);
            for (int i = 0; i < example.input().length; i++) {
                input[row * width + i] = example.input()[i];
                target[row * width + i] = example.target()[i];
            }
        }
        try (NDManager manager = trainer.getManager().newSubManager();
             GradientCollector collector = trainer.newGradientCollector()) {
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = manager.create(input, new Shape(batch.size(), width));
            NDArray targets = manager.create(target, new Shape(batch.size(), width));
            NDArray hidden = block.forward(ps, new NDList(ids), true).singletonOrThrow();
            NDArray logProbabilities = block.logits(ps, hidden, true).logSoftmax(-1);
            NDArray picked = logProbabilities.gather(targets.expandDims(-1), -1).squeeze(-1);
            NDArray weights = targets.gt(0).toType(picked.getDataType(), false);
            NDArray loss = picked.mul(weights).sum().neg().div(weights.sum().maximum(1f));
            collector.backward(loss);
            double value = loss.getFloat();
            trainer.step();
            return value;
        }
    }

    private static float[][] snapshot(CausalTransformerBlock block) {
        List<Parameter> parameters = block.getParameters().values();
        float[][] copy = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            copy[i] = parameters.get(i).getArray().toFloatArray();
        }
        return copy;
    }

    private static void restore(CausalTransformerBlock block, float[][] saved) {
        if (saved == null) {
            return;
        }
        List<Parameter> parameters = block.getParameters().values();
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).getArray().set(saved[i]);
        }
    }
}
