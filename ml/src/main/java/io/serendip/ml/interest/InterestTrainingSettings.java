package io.serendip.ml.interest;

import io.serendip.ml.transformer.TrainingOptions;

/**
 * How the novel-interest LM is curated, shaped, trained and gated.
 *
 * @param historyLength     k, the number of distinct clusters in a history (the paper uses 2)
 * @param shortHistories    also train on the shorter suffixes of each history, so short histories get sensible answers
 * @param balanceCapFactor  cap per target cluster as a multiple of the median target count (0 = no balancing)
 * @param testFraction      share of users held out for the gates
 * @param splitSeed         seed of the shuffle that picks them (apart from the training seed, so models trained
 *                          with other seeds are judged on the same users)
 * @param maxGateCases      most held-out cases the gates decode
 * @param validationShare   share of training examples used for early stopping
 */
public record InterestTrainingSettings(int historyLength, boolean shortHistories, int hiddenSize, int layers, int heads,
                                       float dropout, int beamWidth, double balanceCapFactor, double testFraction,
                                       long splitSeed, int maxGateCases, double validationShare, TrainingOptions training) {

    public InterestTrainingSettings {
        if (historyLength <= 0) {
            throw new IllegalArgumentException("historyLength must be positive, got " + historyLength);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        if (!(validationShare > 0 && validationShare < 1)) {
            throw new IllegalArgumentException("validationShare must be in (0, 1), got " + validationShare);
        }
        if (maxGateCases <= 0) {
            throw new IllegalArgumentException("maxGateCases must be positive, got " + maxGateCases);
        }
    }
}
