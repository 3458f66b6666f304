package io.serendip.ml.interest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.transformer.TrainingOptions;
import io.serendip.ml.transformer.TransformerConfig;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code hyperparameters.json} of an interest-model artifact.
 *
 * @param clusterFingerprint {@link io.serendip.ml.artifact.ClusterSet#fingerprint()} of the cluster set trained on;
 *                           loading with another cluster set is refused
 */
public record InterestHyperparameters(TransformerConfig transformer, int historyLength, int beamWidth,
                                      String clusterFingerprint, TrainingOptions training) {

    public static final String FILE_NAME = "hyperparameters.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public InterestHyperparameters {
        if (historyLength <= 0) {
            throw new IllegalArgumentException("historyLength must be positive, got " + historyLength);
        }
        if (beamWidth <= 0) {
            throw new IllegalArgumentException("beamWidth must be positive, got " + beamWidth);
        }
    }

    public void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    public static InterestHyperparameters read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            return JSON.readValue(file.toFile(), InterestHyperparameters.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactException("invalid " + file + ": " + e.getMessage(), e);
        }
    }
}
