package io.serendip.ml.recommender;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serendip.ml.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code model.json} of a recommender artifact holding an externally trained model: which format the model file
 * is in and the shapes the import checked. An artifact without it is the own (DJL-trained) format.
 *
 * @param format    {@code torchscript} ({@code model.pt}) or {@code onnx} ({@code model.onnx})
 * @param maxLength history length L the model reads: input int64 [batch, L]
 * @param dimension d of the user state float32 [batch, d] and of the item vectors [itemCount, d]
 * @param itemCount items, as listed in {@code items.txt}
 */
public record ExternalModelDescriptor(ExternalFormat format, int maxLength, int dimension, int itemCount) {

    public static final String FILE_NAME = "model.json";
    public static final String ITEM_VECTORS_FILE = "item-vectors.npy";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ExternalModelDescriptor {
        if (format == null) {
            throw new IllegalArgumentException("field 'format' is required");
        }
        if (maxLength < 1 || dimension < 1 || itemCount < 1) {
            throw new IllegalArgumentException("maxLength, dimension and itemCount must be positive, got " + maxLength
                    + ", " + dimension + ", " + itemCount);
        }
    }

    static boolean presentIn(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    static ExternalModelDescriptor read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            return JSON.readValue(file.toFile(), ExternalModelDescriptor.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactException("invalid " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }
}
