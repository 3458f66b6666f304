package io.serendip.ml.recommender;

import io.serendip.ml.transformer.TransformerConfig;
import io.serendip.ml.transformer.TrainingOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serendip.ml.artifact.ArtifactException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code hyperparameters.json} of a recommender artifact: the network shape and how it was trained.
 * Item {@code i} is token {@code i + 1}; token 0 is padding, so {@code vocabularySize = itemCount + 1}.
 */
public record RecommenderHyperparameters(int itemCount, TransformerConfig transformer, TrainingOptions training) {

    public static final String FILE_NAME = "hyperparameters.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RecommenderHyperparameters {
        if (transformer.vocabularySize() != itemCount + 1) {
            throw new IllegalArgumentException("transformer.vocabularySize must be itemCount + 1 = " + (itemCount + 1)
                    + ", got " + transformer.vocabularySize());
        }
    }

    public void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    public static RecommenderHyperparameters read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            RecommenderHyperparameters read = JSON.readValue(file.toFile(), RecommenderHyperparameters.class);
            if (read == null) {
                throw new ArtifactException("invalid " + file + ": the document is null, expected an object");
            }
            return read;
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactException("invalid " + file + ": " + e.getMessage(), e);
        }
    }
}
