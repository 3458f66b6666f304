package io.serendip.ml.interest;

import java.util.ArrayList;
import java.util.List;

/**
 * Token layout of the interest LM: {@code BOS desc(c1) SEP desc(c2) ANS} as the prompt, then the answer
 * {@code desc(c3) EOS}. Pure functions over already tokenized descriptions.
 */
public final class PromptFormat {

    private PromptFormat() {
    }

    /** The prompt for a history of cluster descriptions (oldest first, any length including zero). */
    public static int[] prompt(List<int[]> historyDescriptions) {
        List<Integer> tokens = new ArrayList<>();
        tokens.add(DescriptionVocabulary.BOS);
        for (int i = 0; i < historyDescriptions.size(); i++) {
            if (i > 0) {
                tokens.add(DescriptionVocabulary.SEP);
            }
            for (int token : historyDescriptions.get(i)) {
                tokens.add(token);
            }
        }
        tokens.add(DescriptionVocabulary.ANS);
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The answer tokens: the target description followed by the end token. */
    public static int[] answer(int[] targetDescription) {
        int[] answer = java.util.Arrays.copyOf(targetDescription, targetDescription.length + 1);
        answer[targetDescription.length] = DescriptionVocabulary.EOS;
        return answer;
    }

    /** Longest prompt + answer for histories of {@code historyLength} descriptions of at most {@code maxDescription} tokens. */
    public static int maxSequenceLength(int historyLength, int maxDescription) {
        return 1 + historyLength * maxDescription + Math.max(0, historyLength - 1) + 1 + maxDescription + 1;
    }
}
