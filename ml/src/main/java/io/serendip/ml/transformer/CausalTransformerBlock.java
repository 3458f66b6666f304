package io.serendip.ml.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A pre-norm, decoder-only transformer (SASRec / GPT shape): token + learned positional embeddings,
 * {@code layers} causal self-attention blocks and a final layer norm. Input {@code (B, L)} int64 token
 * ids, sequences left-aligned (padding after the real tokens, so the causal mask alone keeps padding
 * out of every real position). Output {@code (B, L, hidden)}. Output scores reuse the token embedding
 * ({@link #logits}), so the same weights embed an item and score it.
 */
public final class CausalTransformerBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Standard deviation of the random initial weights. */
    public static final float INIT_STD = 0.02f;
    private static final float LAYER_NORM_EPS = 1e-5f;
    private static final float MASKED = -1e9f;

    private final TransformerConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<Layer> layerParameters = new ArrayList<>();
    private final Parameter finalGamma;
    private final Parameter finalBeta;

    /** Parameters of one attention + feed-forward block. */
    private record Layer(Parameter norm1Gamma, Parameter norm1Beta, Parameter qkvWeight, Parameter qkvBias,
                         Parameter outWeight, Parameter outBias, Parameter norm2Gamma, Parameter norm2Beta,
                         Parameter ff1Weight, Parameter ff1Bias, Parameter ff2Weight, Parameter ff2Bias) {
    }

    public CausalTransformerBlock(TransformerConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.hiddenSize();
        tokenEmbedding = weight("token_embedding", new Shape(config.vocabularySize(), d));
        positionEmbedding = weight("position_embedding", new Shape(config.maxLength(), d));
        for (int i = 0; i < config.layers(); i++) {
            String p = "layer" + i + "_";
            layerParameters.add(new Layer(
                    gamma(p + "norm1_gamma", d), beta(p + "norm1_beta", d),
                    weight(p + "qkv_weight", new Shape(3L * d, d)), beta(p + "qkv_bias", 3 * d),
                    weight(p + "out_weight", new Shape(d, d)), beta(p + "out_bias", d),
                    gamma(p + "norm2_gamma", d), beta(p + "norm2_beta", d),
                    weight(p + "ff1_weight", new Shape(4L * d, d)), beta(p + "ff1_bias", 4 * d),
                    weight(p + "ff2_weight", new Shape(d, 4L * d)), beta(p + "ff2_bias", d)));
        }
        finalGamma = gamma("final_norm_gamma", d);
        finalBeta = beta("final_norm_beta", d);
    }

    public TransformerConfig config() {
        return config;
    }

    /** The shared token embedding table {@code (vocabularySize, hidden)}; row 0 is padding. */
    public Parameter tokenEmbedding() {
        return tokenEmbedding;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        long batch = ids.getShape().get(0);
        int length = Math.toIntExact(ids.getShape().get(1));
        if (length > config.maxLength()) {
            throw new IllegalArgumentException("sequence length " + length + " exceeds maxLength " + config.maxLength());
        }
        NDArray tokens = value(ps, tokenEmbedding, ids, training);
        // An op on a parameter puts its result in the parameter's (the model's) manager, which lives as long as
        // the model: move it to the call's manager, or every forward pass leaves an array behind.
        NDArray positions = value(ps, positionEmbedding, ids, training).get(new NDIndex("0:" + length));
        positions.attach(ids.getManager());
        NDArray x = Embedding.embedding(ids, tokens, SparseFormat.DENSE).singletonOrThrow().add(positions);
        x = dropout(x, training);
        NDArray mask = causalMask(ids.getManager(), length);
        for (Layer layer : layerParameters) {
            x = x.add(attention(ps, layer, norm(ps, x, layer.norm1Gamma(), layer.norm1Beta(), training),
                    mask, batch, length, training));
            NDArray h = norm(ps, x, layer.norm2Gamma(), layer.norm2Beta(), training);
            h = linear(ps, h, layer.ff1Weight(), layer.ff1Bias(), training);
            h = Activation.gelu(h);
            x = x.add(dropout(linear(ps, h, layer.ff2Weight(), layer.ff2Bias(), training), training));
        }
        return new NDList(norm(ps, x, finalGamma, finalBeta, training));
    }

    /** Scores of every token for each hidden state: {@code hidden · tokenEmbedding^T}. */
    public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
        NDArray transposed = ps.getValue(tokenEmbedding, hidden.getDevice(), training).transpose();
        transposed.attach(hidden.getManager()); // see forwardInternal
        return hidden.matMul(transposed);
    }

    private NDArray attention(ParameterStore ps, Layer layer, NDArray h, NDArray mask, long batch, int length,
                              boolean training) {
        int d = config.hiddenSize();
        int heads = config.heads();
        int headSize = d / heads;
        NDList qkv = linear(ps, h, layer.qkvWeight(), layer.qkvBias(), training).split(3, 2);
        NDArray q = splitHeads(qkv.get(0), batch, length, heads, headSize);
        NDArray k = splitHeads(qkv.get(1), batch, length, heads, headSize);
        NDArray v = splitHeads(qkv.get(2), batch, length, heads, headSize);
        // A scale that torch owns: DJL's div(Number) wraps the number in a tensor over a Java buffer and frees that
        // buffer at once, while autograd keeps the tensor for the backward pass, so a garbage collection in between
        // turned the gradient into whatever reused the memory (runs that differed from one JVM to the next).
        NDArray scale = h.getManager().full(new Shape(), (float) Math.sqrt(headSize), q.getDataType());
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(scale).add(mask);
        NDArray weights = dropout(scores.softmax(-1), training);
        NDArray context = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, d);
        return dropout(linear(ps, context, layer.outWeight(), layer.outBias(), training), training);
    }

    private static NDArray splitHeads(NDArray x, long batch, int length, int heads, int headSize) {
        return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
    }

    /** Additive mask {@code (L, L)}: 0 where key position <= query position, a large negative elsewhere. */
    static NDArray causalMask(NDManager manager, int length) {
        float[] mask = new float[length * length];
        for (int query = 0; query < length; query++) {
            for (int key = query + 1; key < length; key++) {
                mask[query * length + key] = MASKED;
            }
        }
        return manager.create(mask, new Shape(length, length));
    }

    private NDArray norm(ParameterStore ps, NDArray x, Parameter gamma, Parameter beta, boolean training) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), value(ps, gamma, x, training),
                value(ps, beta, x, training), LAYER_NORM_EPS).singletonOrThrow();
    }

    private NDArray linear(ParameterStore ps, NDArray x, Parameter weight, Parameter bias, boolean training) {
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training)).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || config.dropout() == 0f) {
            return x;
        }
        return Dropout.dropout(x, config.dropout(), true).singletonOrThrow();
    }

    private static NDArray value(ParameterStore ps, Parameter parameter, NDArray like, boolean training) {
        return ps.getValue(parameter, like.getDevice(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hiddenSize())};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // Every parameter shape is fixed by the config at construction time.
    }

    @Override
    public String toString() {
        return "CausalTransformerBlock" + config;
    }

    private Parameter weight(String name, Shape shape) {
        return parameter(name, Parameter.Type.WEIGHT, shape, new NormalInitializer(INIT_STD));
    }

    private Parameter gamma(String name, int size) {
        return parameter(name, Parameter.Type.GAMMA, new Shape(size), new ConstantInitializer(1f));
    }

    private Parameter beta(String name, int size) {
        return parameter(name, Parameter.Type.BETA, new Shape(size), new ConstantInitializer(0f));
    }

    private Parameter parameter(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(initializer).build());
    }

    /** Initializes all parameters with float32 on the manager's device. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.maxLength()));
    }
}
