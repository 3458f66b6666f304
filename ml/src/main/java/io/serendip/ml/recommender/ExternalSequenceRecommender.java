package io.serendip.ml.recommender;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ItemIndex;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link SequenceRecommender} over an externally trained model (TorchScript on DJL's PyTorch engine, ONNX on its
 * OnnxRuntime engine) that follows the contract of docs/models.md: history int64 {@code [batch, L]} (item index + 1,
 * 0 = padding, left-padded, most recent last) to user state float32 {@code [batch, d]}; items score by the dot
 * product with {@code item-vectors.npy}. Thread-safe: every forward pass uses its own predictor.
 */
public final class ExternalSequenceRecommender extends VectorScoredRecommender {

    private final ZooModel<long[][], float[][]> model;
    private final Path modelFile;
    private final int maxLength;

    private ExternalSequenceRecommender(ZooModel<long[][], float[][]> model, Path modelFile, int maxLength,
                                        ItemVectors itemVectors) {
        super(itemVectors);
        this.model = model;
        this.modelFile = modelFile;
        this.maxLength = maxLength;
    }

    /**
     * Loads the files, checks them against each other and runs one probe forward pass on a batch of two histories.
     *
     * @param maxLength the history length L, or null to take it from the model's declared input shape (ONNX)
     * @throws ArtifactException naming the file and the problem: missing, unreadable, wrong dtype or shape, item
     *                           count mismatch, a model that does not load or whose output breaks the contract
     */
    public static ExternalSequenceRecommender open(ExternalFormat format, Path modelFile, Path itemVectorsFile,
                                                   Path itemsFile, Integer maxLength) {
        for (Path file : new Path[] {modelFile, itemVectorsFile, itemsFile}) {
            if (!Files.isRegularFile(file)) {
                throw new ArtifactException(file + ": file is missing");
            }
        }
        ItemIndex items = ItemIndex.read(itemsFile);
        ItemVectors vectors = readItemVectors(itemVectorsFile, format.engine(), items.size(), itemsFile);
        ZooModel<long[][], float[][]> model = loadModel(format, modelFile, vectors.dimension());
        try {
            int length = historyLength(format, modelFile, vectors.dimension(), maxLength);
            ExternalSequenceRecommender recommender = new ExternalSequenceRecommender(model, modelFile, length, vectors);
            recommender.probe();
            return recommender;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Loads the model of an artifact directory whose manifest {@link SequenceRecommender#load} verified. */
    static ExternalSequenceRecommender load(Path dir) {
        ExternalModelDescriptor descriptor = ExternalModelDescriptor.read(dir);
        ExternalSequenceRecommender recommender = open(descriptor.format(), dir.resolve(descriptor.format().fileName()),
                dir.resolve(ExternalModelDescriptor.ITEM_VECTORS_FILE), dir.resolve(TransformerSequenceRecommender.ITEMS_FILE),
                descriptor.maxLength());
        if (recommender.itemCount() != descriptor.itemCount() || recommender.dimension() != descriptor.dimension()) {
            recommender.close();
            throw new ArtifactException(dir.resolve(ExternalModelDescriptor.FILE_NAME) + ": says " + descriptor.itemCount()
                    + " items of dimension " + descriptor.dimension() + " but the files hold " + recommender.itemCount()
                    + " of dimension " + recommender.dimension());
        }
        return recommender;
    }

    private static ItemVectors readItemVectors(Path file, String engine, int itemCount, Path itemsFile) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine);
             InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList arrays = NDList.decode(manager, in);
            if (arrays.size() != 1) {
                throw new ArtifactException(file + ": holds " + arrays.size() + " arrays, expected one float32 [items, d]");
            }
            NDArray array = arrays.get(0);
            Shape shape = array.getShape();
            if (array.getDataType() != DataType.FLOAT32 || shape.dimension() != 2 || shape.get(1) < 1) {
                throw new ArtifactException(file + ": " + array.getDataType() + " array of shape " + shape
                        + ", expected float32 [items, d]");
            }
            if (shape.get(0) != itemCount) {
                throw new ArtifactException(file + ": " + shape.get(0) + " item vectors but " + itemsFile + " lists "
                        + itemCount + " items");
            }
            return new ItemVectors(itemCount, Math.toIntExact(shape.get(1)), array.toFloatArray());
        } catch (ArtifactException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ArtifactException(file + ": not a readable .npy array: " + e.getMessage(), e);
        }
    }

    private static ZooModel<long[][], float[][]> loadModel(ExternalFormat format, Path modelFile, int dimension) {
        Criteria<long[][], float[][]> criteria = Criteria.builder().setTypes(long[][].class, float[][].class)
                .optModelPath(modelFile).optEngine(format.engine()).optDevice(format.device())
                .optTranslator(new StateTranslator(modelFile, dimension)).build();
        try {
            return criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ArtifactException(modelFile + ": not a loadable " + format.label() + " model: " + e.getMessage(), e);
        }
    }

    /** The given length, checked against the one the model declares (an ONNX input [batch, L]) if any. */
    private static int historyLength(ExternalFormat format, Path modelFile, int dimension, Integer given) {
        Integer declared = format == ExternalFormat.ONNX ? OnnxSignature.check(modelFile, dimension) : null;
        if (given != null && declared != null && !given.equals(declared)) {
            throw new ArtifactException(modelFile + ": declares history length " + declared + " but " + given + " was given");
        }
        Integer length = given != null ? given : declared;
        if (length == null || length < 1) {
            throw new ArtifactException(modelFile + ": the model does not declare its history length L; give it explicitly");
        }
        return length;
    }

    /** One forward pass on two histories (the shortest and a full one): output shape, dtype and finiteness. */
    private void probe() {
        int[] full = new int[maxLength];
        for (int i = 0; i < maxLength; i++) {
            full[i] = i % itemCount();
        }
        for (float[] state : encodeAll(new int[][] {{0}, full})) {
            for (float value : state) {
                if (!Float.isFinite(value)) {
                    throw new ArtifactException(modelFile + ": the probe forward pass produced a non-finite user state");
                }
            }
        }
    }

    @Override
    public int itemCount() {
        return itemVectors.itemCount();
    }

    int dimension() {
        return itemVectors.dimension();
    }

    @Override
    public int maxHistory() {
        return maxLength;
    }

    @Override
    public float[] encode(int[] history) {
        return encodeAll(new int[][] {history})[0];
    }

    /** User states of many histories (oldest first; the last L items count) in one batched forward pass. */
    @Override
    public float[][] encodeAll(int[][] histories) {
        long[][] tokens = new long[histories.length][maxLength];
        for (int h = 0; h < histories.length; h++) {
            int[] history = histories[h];
            if (history.length == 0) {
                throw new IllegalArgumentException("history is empty");
            }
            int from = Math.max(0, history.length - maxLength);
            int pad = maxLength - (history.length - from);
            for (int i = from; i < history.length; i++) {
                int item = history[i];
                if (item < 0 || item >= itemCount()) {
                    throw new IllegalArgumentException("history[" + i + "] = " + item + " is outside 0.." + (itemCount() - 1));
                }
                tokens[h][pad + i - from] = item + 1L;
            }
        }
        try (Predictor<long[][], float[][]> predictor = model.newPredictor()) {
            return predictor.predict(tokens);
        } catch (TranslateException | RuntimeException e) {
            Throwable cause = e instanceof TranslateException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ArtifactException artifact) {
                throw artifact;
            }
            throw new ArtifactException(modelFile + ": forward pass on int64 [" + tokens.length + ", " + maxLength
                    + "] failed: " + cause.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /** History tokens in, user states out; refuses an output that is not one float32 [batch, d] array. */
    private record StateTranslator(Path modelFile, int dimension) implements NoBatchifyTranslator<long[][], float[][]> {
        private static final String BATCH = "batch";

        @Override
        public NDList processInput(TranslatorContext ctx, long[][] tokens) {
            ctx.setAttachment(BATCH, tokens.length);
            return new NDList(ctx.getNDManager().create(tokens));
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
            int batch = (Integer) ctx.getAttachment(BATCH);
            if (outputs.size() != 1) {
                throw new ArtifactException(modelFile + ": returns " + outputs.size() + " outputs, expected one user"
                        + " state float32 [batch, " + dimension + "]");
            }
            NDArray state = outputs.get(0);
            Shape shape = state.getShape();
            if (state.getDataType() != DataType.FLOAT32 || shape.dimension() != 2 || shape.get(0) != batch
                    || shape.get(1) != dimension) {
                throw new ArtifactException(modelFile + ": returns a " + state.getDataType() + " array of shape " + shape
                        + " for a batch of " + batch + ", expected float32 [" + batch + ", " + dimension
                        + "] (d from the item vectors)");
            }
            float[] flat = state.toFloatArray();
            float[][] states = new float[batch][dimension];
            for (int row = 0; row < batch; row++) {
                System.arraycopy(flat, row * dimension, states[row], 0, dimension);
            }
            return states;
        }
    }
}
