package io.serendip.ml.interest.llm;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instruction an LLM reads for a history: a template with one {@value #HISTORY} placeholder, which becomes the
 * numbered descriptions of the history's clusters, oldest first. The answer is the next cluster's description.
 */
public record PromptTemplate(String text) {
    public static final String HISTORY = "{history}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");
    /**
     * The history comes last, so the tokens that differ between two prompts are only the last cluster's description:
     * the precompute shares the key/value cache of everything before it (docs/benchmarks.md measures the gain).
     */
    public static final PromptTemplate DEFAULT = new PromptTemplate(
            "Name the one new interest that a user of a recommender system is most likely to enjoy next, given the"
                    + " interests they engaged with, oldest first:\n" + HISTORY);

    /** Refuses a template that cannot be rendered: no or several history placeholders, or an unknown one. */
    public PromptTemplate {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("prompt template is empty");
        }
        int histories = 0;
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!m.group().equals(HISTORY)) {
                throw new IllegalArgumentException("prompt template has an unknown placeholder " + m.group()
                        + " (only " + HISTORY + " is rendered)");
            }
            histories++;
        }
        if (histories != 1) {
            throw new IllegalArgumentException("prompt template must contain " + HISTORY + " exactly once, found "
                    + histories);
        }
    }

    /**
     * This template with worked examples before it, for a model that was not fine-tuned: each example is a history
     * (clusters oldest first, the answer last) rendered like the real question, followed by its answer.
     */
    public PromptTemplate withExamples(List<int[]> examples, List<String> descriptions) {
        StringBuilder text = new StringBuilder("Examples of the interests users engaged with, oldest first, and the new"
                + " interest each enjoyed next:\n");
        for (int[] example : examples) {
            int[] history = java.util.Arrays.copyOf(example, example.length - 1);
            text.append(numbered(history, descriptions)).append("\nNext: ")
                    .append(descriptions.get(example[example.length - 1])).append("\n\n");
        }
        return new PromptTemplate(text + this.text);
    }

    public String render(int[] history, List<String> descriptions) {
        return text.replace(HISTORY, numbered(history, descriptions));
    }

    private static String numbered(int[] history, List<String> descriptions) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < history.length; i++) {
            if (i > 0) {
                lines.append('\n');
            }
            lines.append(i + 1).append(". ").append(descriptions.get(history[i]));
        }
        return lines.toString();
    }
}
