package io.serendip.ml.transformer;

/**
 * Shape of a causal (decoder-only) transformer over token ids. Token 0 is padding.
 *
 * @param vocabularySize number of token ids including the padding id 0
 * @param maxLength      longest input sequence (positional embeddings)
 * @param hiddenSize     embedding and hidden width
 * @param layers         number of self-attention blocks
 * @param heads          attention heads per block (must divide hiddenSize)
 * @param dropout        dropout rate used while training
 */
public record TransformerConfig(int vocabularySize, int maxLength, int hiddenSize, int layers, int heads,
                                float dropout) {

    public TransformerConfig {
        requirePositive("vocabularySize", vocabularySize);
        requirePositive("maxLength", maxLength);
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("layers", layers);
        requirePositive("heads", heads);
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hiddenSize (" + hiddenSize + ") must be a multiple of heads (" + heads + ")");
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
