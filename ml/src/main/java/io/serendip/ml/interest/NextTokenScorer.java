package io.serendip.ml.interest;

/** Next-token scores (logits over the vocabulary) after each of a batch of token prefixes. */
@FunctionalInterface
public interface NextTokenScorer {
    float[][] nextTokenScores(int[][] prefixes);
}
