package io.serendip.ml.recommender;

import io.serendip.ml.transformer.CausalTransformerBlock;
import io.serendip.ml.transformer.TransformerRunner;
import io.serendip.ml.transformer.TrainingOptions;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ItemIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** {@link SequenceRecommender} backed by a {@link CausalTransformerBlock} run by DJL's PyTorch engine. */
public final class TransformerSequenceRecommender extends VectorScoredRecommender {

    public static final String KIND = "recommender";
    static final String PARAMETERS_PREFIX = "recommender";
    static final String ENGINE = "PyTorch";
    /** External item ids, one per line in index order ({@link ItemIndex} format). */
    public static final String ITEMS_FILE = "items.txt";

    private final Model model;
    private final TransformerRunner runner;
    private final int itemCount;
    /** The token embeddings without the padding row. */

    TransformerSequenceRecommender(Model model, CausalTransformerBlock block, int itemCount) {
        this(model, new TransformerRunner(block, model.getNDManager()), itemCount);
    }

    /** A view over parameters owned elsewhere (e.g. during training); {@link #close()} then frees nothing. */
    TransformerSequenceRecommender(TransformerRunner runner, int itemCount) {
        this(null, runner, itemCount);
    }

    private TransformerSequenceRecommender(Model model, TransformerRunner runner, int itemCount) {
        super(itemVectorsOf(runner, itemCount));
        this.model = model;
        this.runner = runner;
        this.itemCount = itemCount;
    }

    /** The item rows of the token-embedding table (row 0, the padding token, left out). */
    private static ItemVectors itemVectorsOf(TransformerRunner runner, int itemCount) {
        int hiddenSize = runner.block().config().hiddenSize();
        Parameter table = runner.block().tokenEmbedding();
        float[] all = table.getArray().toFloatArray();
        return new ItemVectors(itemCount, hiddenSize, Arrays.copyOfRange(all, hiddenSize, all.length));
    }

    /** Loads the own format from an artifact directory whose manifest {@link SequenceRecommender#load} verified. */
    static TransformerSequenceRecommender load(Path dir) {
        RecommenderHyperparameters hyperparameters = RecommenderHyperparameters.read(dir);
        ItemIndex items = ItemIndex.read(dir.resolve(ITEMS_FILE));
        if (items.size() != hyperparameters.itemCount()) {
            throw new ArtifactException("artifact " + dir + ": " + ITEMS_FILE + " lists " + items.size()
                    + " items but " + RecommenderHyperparameters.FILE_NAME + " says itemCount " + hyperparameters.itemCount());
        }
        CausalTransformerBlock block = new CausalTransformerBlock(hyperparameters.transformer());
        Model model = Model.newInstance(PARAMETERS_PREFIX, Engine.getEngine(ENGINE).defaultDevice(), ENGINE);
        model.setBlock(block);
        try {
            model.load(dir, PARAMETERS_PREFIX);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ArtifactException("cannot load recommender parameters from " + dir + ": " + e.getMessage(), e);
        }
        return new TransformerSequenceRecommender(model, block, hyperparameters.itemCount());
    }

    /** Writes the parameters and hyper-parameters into {@code dir} (the manifest is written by the caller). */
    void saveFiles(Path dir, TrainingOptions training) throws IOException {
        model.save(dir, PARAMETERS_PREFIX);
        new RecommenderHyperparameters(itemCount, runner.block().config(), training).write(dir);
    }

    TransformerRunner runner() {
        return runner;
    }

    @Override
    public int itemCount() {
        return itemCount;
    }

    @Override
    public int maxHistory() {
        return runner.block().config().maxLength();
    }

    @Override
    public float[] encode(int[] history) {
        return encodeAll(new int[][] {history})[0];
    }

    /** User states of many histories in one batched forward pass. */
    @Override
    public float[][] encodeAll(int[][] histories) {
        int[][] tokens = new int[histories.length][];
        for (int h = 0; h < histories.length; h++) {
            int[] history = histories[h];
            if (history.length == 0) {
                throw new IllegalArgumentException("history is empty");
            }
            int from = Math.max(0, history.length - maxHistory());
            tokens[h] = new int[history.length - from];
            for (int i = from; i < history.length; i++) {
                int item = history[i];
                if (item < 0 || item >= itemCount) {
                    throw new IllegalArgumentException("history[" + i + "] = " + item + " is outside 0.." + (itemCount - 1));
                }
                tokens[h][i - from] = item + 1;
            }
        }
        return runner.lastHidden(tokens);
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
