package io.serendip.ml.transformer;

/**
 * Optimisation settings shared by the transformer trainers.
 *
 * @param maxEpochs     upper bound on passes over the training examples
 * @param batchSize     examples per Adam step
 * @param learningRate  Adam learning rate
 * @param patience      epochs without a better validation score before stopping early
 * @param seed          seed for initialisation, dropout and shuffling
 * @param checkpoint    file the trainer keeps its state in after every epoch and resumes from (null: none)
 */
public record TrainingOptions(int maxEpochs, int batchSize, float learningRate, int patience, long seed,
                              // where the state is kept is not how the model was trained: not in hyperparameters.json
                              @com.fasterxml.jackson.annotation.JsonIgnore java.nio.file.Path checkpoint) {

    public TrainingOptions(int maxEpochs, int batchSize, float learningRate, int patience, long seed) {
        this(maxEpochs, batchSize, learningRate, patience, seed, null);
    }

    public TrainingOptions withCheckpoint(java.nio.file.Path file) {
        return new TrainingOptions(maxEpochs, batchSize, learningRate, patience, seed, file);
    }

    public TrainingOptions {
        if (maxEpochs <= 0) {
            throw new IllegalArgumentException("maxEpochs must be positive, got " + maxEpochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (!(learningRate > 0f)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (patience <= 0) {
            throw new IllegalArgumentException("patience must be positive, got " + patience);
        }
    }
}
