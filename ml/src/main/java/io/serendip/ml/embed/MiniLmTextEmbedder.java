package io.serendip.ml.embed;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 (384 dimensions): the ONNX model run by DJL's OnnxRuntime engine,
 * tokenized by the HuggingFace tokenizer, mean-pooled over real tokens and L2-normalised. The model and
 * tokenizer files are read from the classpath (the all-minilm-l6-v2 embeddings jar) and extracted once to a cache
 * directory, so nothing is downloaded.
 */
public final class MiniLmTextEmbedder implements AutoCloseable {
    public static final int DIMENSION = 384;

    /** The two builds the runtime ships: the float32 model (90 MB) and its int8-quantized copy (23 MB). */
    public enum Variant {
        FULL("all-MiniLM-L6-v2", "all-minilm-l6-v2"),
        QUANTIZED("all-MiniLM-L6-v2-q", "all-minilm-l6-v2-q");

        private final String modelName;
        private final String resourceBase;

        Variant(String modelName, String resourceBase) {
            this.modelName = modelName;
            this.resourceBase = resourceBase;
        }

        /** The name users give (`--text-model`, an InterestClusterSet's `encoder`). */
        public String modelName() {
            return modelName;
        }

        public static Variant named(String name) {
            for (Variant v : values()) {
                if (v.modelName.equals(name)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("text model must be all-MiniLM-L6-v2 or all-MiniLM-L6-v2-q, got '"
                    + name + "'");
        }
    }

    private static final int MAX_TOKENS = 128;
    private static final int BATCH = 32;

    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<NDList, NDList> model;

    private MiniLmTextEmbedder(HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /** Loads the float32 model, extracting it to {@code cacheDir} (created if missing) when not there yet. */
    public static MiniLmTextEmbedder load(Path cacheDir) throws IOException {
        return load(cacheDir, Variant.FULL);
    }

    /** Loads one variant, extracting it to {@code cacheDir} (created if missing) when not there yet. */
    public static MiniLmTextEmbedder load(Path cacheDir, Variant variant) throws IOException {
        String base = variant.resourceBase;
        Path modelDir = cacheDir.resolve(base);
        Path modelFile = extract(base + ".onnx", modelDir.resolve(base + ".onnx"));
        Path tokenizerFile = extract(base + "-tokenizer.json", modelDir.resolve("tokenizer.json"));
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile)
                .optMaxLength(MAX_TOKENS).optTruncation(true).optPadding(true).build();
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(modelFile).optEngine("OnnxRuntime").optTranslator(new NoopTranslator()).build();
        try {
            return new MiniLmTextEmbedder(tokenizer, criteria.loadModel());
        } catch (ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IOException("cannot load " + modelFile + ": " + e.getMessage(), e);
        }
    }

    /** Default cache: {@code $SERENDIP_MODEL_CACHE}, else {@code <tmpdir>/serendip-models}. */
    public static Path defaultCacheDir() {
        String configured = System.getenv("SERENDIP_MODEL_CACHE");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "serendip-models");
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = MiniLmTextEmbedder.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " not on the classpath (needs the langchain4j"
                        + " all-minilm-l6-v2 or all-minilm-l6-v2-q embeddings jar)");
            }
            // Cheap reuse check: an earlier extraction with the same size is the same file from the same jar.
            long expected = resourceSize(resource);
            if (Files.isRegularFile(target) && Files.size(target) == expected) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        }
    }

    private static long resourceSize(String resource) throws IOException {
        var url = MiniLmTextEmbedder.class.getClassLoader().getResource(resource);
        var connection = url.openConnection();
        connection.setUseCaches(false);
        return connection.getContentLengthLong();
    }

    /** Embeds texts; row {@code i} of the result is the unit vector of {@code texts.get(i)}. */
    public float[][] embed(List<String> texts) {
        float[][] result = new float[texts.size()][];
        try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
            for (int start = 0; start < texts.size(); start += BATCH) {
                List<String> batch = texts.subList(start, Math.min(texts.size(), start + BATCH));
                float[][] vectors = embedBatch(predictor, batch);
                System.arraycopy(vectors, 0, result, start, vectors.length);
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        }
        return result;
    }

    private float[][] embedBatch(Predictor<NDList, NDList> predictor, List<String> texts) throws TranslateException {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int length = encodings[0].getIds().length;
        long[][] ids = new long[batch][];
        long[][] mask = new long[batch][];
        long[][] types = new long[batch][];
        for (int b = 0; b < batch; b++) {
            ids[b] = encodings[b].getIds();
            mask[b] = encodings[b].getAttentionMask();
            types[b] = encodings[b].getTypeIds();
        }
        try (NDManager manager = NDManager.newBaseManager("OnnxRuntime")) {
            NDArray inputIds = manager.create(ids);
            inputIds.setName("input_ids");
            NDArray attention = manager.create(mask);
            attention.setName("attention_mask");
            NDArray tokenTypes = manager.create(types);
            tokenTypes.setName("token_type_ids");
            NDList output = predictor.predict(new NDList(inputIds, attention, tokenTypes));
            NDArray hidden = output.get(0);
            float[] values = hidden.toFloatArray();
            int dimension = (int) hidden.getShape().get(2);
            return MeanPooling.pool(values, mask, length, dimension);
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
