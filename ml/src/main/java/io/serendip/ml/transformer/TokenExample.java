package io.serendip.ml.transformer;

/**
 * One left-aligned training row for next-token prediction: {@code target[i]} is the token to predict
 * after reading {@code input[0..i]}; target 0 means "no loss at this position" (padding or prompt).
 */
public record TokenExample(int[] input, int[] target) {

    public TokenExample {
        if (input.length != target.length) {
            throw new IllegalArgumentException("input and target lengths differ: " + input.length + " vs " + target.length);
        }
        if (input.length == 0) {
            throw new IllegalArgumentException("empty example");
        }
    }

    /**
     * Rows that cover every next-item position of a token sequence once, each at most
     * {@code maxLength} long, the last row ending at the end of the sequence.
     */
    public static java.util.List<TokenExample> windows(int[] tokens, int maxLength) {
        java.util.List<TokenExample> rows = new java.util.ArrayList<>();
        for (int end = tokens.length; end > 1; end -= maxLength) {
            int start = Math.max(0, end - maxLength - 1);
            int length = end - 1 - start;
            int[] input = java.util.Arrays.copyOfRange(tokens, start, end - 1);
            int[] target = java.util.Arrays.copyOfRange(tokens, start + 1, end);
            rows.add(new TokenExample(input, target));
            if (length < maxLength) {
                break;
            }
        }
        return rows;
    }
}
