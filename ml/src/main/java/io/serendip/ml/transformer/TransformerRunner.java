package io.serendip.ml.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Inference over a {@link CausalTransformerBlock}: the hidden state (or next-token scores) after
 * each of a batch of token prefixes, in one forward pass. Every call works in its own NDManager,
 * so concurrent calls are safe; parameters are only read.
 */
public final class TransformerRunner {

    private final CausalTransformerBlock block;
    private final NDManager parent;

    public TransformerRunner(CausalTransformerBlock block, NDManager parent) {
        this.block = block;
        this.parent = parent;
    }

    public CausalTransformerBlock block() {
        return block;
    }

    /** The manager that owns the parameters; calls must leave nothing in it. */
    public NDManager parentManager() {
        return parent;
    }

    /** Hidden state after the last token of each prefix; prefixes longer than maxLength keep their tail. */
    public float[][] lastHidden(int[][] prefixes) {
        return run(prefixes, false);
    }

    /** Next-token scores (over the whole vocabulary) after the last token of each prefix. */
    public float[][] nextTokenScores(int[][] prefixes) {
        return run(prefixes, true);
    }

    private float[][] run(int[][] prefixes, boolean logits) {
        if (prefixes.length == 0) {
            return new float[0][];
        }
        int maxLength = block.config().maxLength();
        int width = 0;
        for (int[] prefix : prefixes) {
            if (prefix.length == 0) {
                throw new IllegalArgumentException("empty prefix");
            }
            width = Math.max(width, Math.min(prefix.length, maxLength));
        }
        long[] ids = new long[prefixes.length * width];
        long[] lastPosition = new long[prefixes.length];
        for (int row = 0; row < prefixes.length; row++) {
            int[] prefix = prefixes[row];
            int from = Math.max(0, prefix.length - maxLength);
            for (int i = from; i < prefix.length; i++) {
                ids[row * width + (i - from)] = prefix[i];
            }
            lastPosition[row] = prefix.length - from - 1;
        }
        int hiddenSize = block.config().hiddenSize();
        try (NDManager manager = parent.newSubManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray input = manager.create(ids, new Shape(prefixes.length, width));
            NDArray hidden = block.forward(ps, new NDList(input), false).singletonOrThrow();
            NDArray index = manager.create(lastPosition).reshape(prefixes.length, 1, 1)
                    .broadcast(prefixes.length, 1, hiddenSize);
            NDArray last = hidden.gather(index, 1).reshape(prefixes.length, hiddenSize);
            NDArray out = logits ? block.logits(ps, last, false) : last;
            out = out.toType(DataType.FLOAT32, false);
            int columns = Math.toIntExact(out.getShape().get(1));
            float[] flat = out.toFloatArray();
            float[][] rows = new float[prefixes.length][columns];
            for (int row = 0; row < prefixes.length; row++) {
                System.arraycopy(flat, row * columns, rows[row], 0, columns);
            }
            return rows;
        }
    }
}
