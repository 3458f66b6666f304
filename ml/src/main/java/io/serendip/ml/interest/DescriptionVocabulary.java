package io.serendip.ml.interest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word-level vocabulary of cluster descriptions. Text is lower-cased and split into words and single
 * punctuation marks ({@code "drama, war"} is {@code [drama] [,] [war]}); the first ids are reserved
 * for the special tokens of the prompt format {@code BOS desc(c1) SEP desc(c2) ANS desc(c3) EOS}.
 * Immutable, thread-safe.
 */
public final class DescriptionVocabulary {

    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int BOS = 2;
    public static final int SEP = 3;
    public static final int ANS = 4;
    public static final int EOS = 5;
    private static final List<String> SPECIAL = List.of("<pad>", "<unk>", "<bos>", "<sep>", "<ans>", "<eos>");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s]");

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private DescriptionVocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            if (ids.putIfAbsent(this.tokens.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate token '" + this.tokens.get(i) + "'");
            }
        }
        for (int i = 0; i < SPECIAL.size(); i++) {
            if (i >= this.tokens.size() || !this.tokens.get(i).equals(SPECIAL.get(i))) {
                throw new IllegalArgumentException("token " + i + " must be " + SPECIAL.get(i));
            }
        }
    }

    /** Vocabulary of every word in the descriptions, in first-seen order after the special tokens. */
    public static DescriptionVocabulary fromDescriptions(List<String> descriptions) {
        List<String> tokens = new ArrayList<>(SPECIAL);
        java.util.Set<String> seen = new java.util.HashSet<>(SPECIAL);
        for (String description : descriptions) {
            for (String word : words(description)) {
                if (seen.add(word)) {
                    tokens.add(word);
                }
            }
        }
        return new DescriptionVocabulary(tokens);
    }

    /** Lower-cased words and punctuation marks of a text. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** Token ids of a text; unknown words become {@link #UNK}. */
    public int[] encode(String text) {
        return words(text).stream().mapToInt(word -> ids.getOrDefault(word, UNK)).toArray();
    }

    /** Text of token ids: words joined by spaces, punctuation attached to the word before it. */
    public String decode(int[] tokenIds) {
        StringBuilder text = new StringBuilder();
        for (int id : tokenIds) {
            String token = token(id);
            boolean punctuation = token.length() == 1 && !Character.isLetterOrDigit(token.charAt(0));
            if (text.length() > 0 && !punctuation) {
                text.append(' ');
            }
            text.append(token);
        }
        return text.toString();
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " outside 0.." + (tokens.size() - 1));
        }
        return tokens.get(id);
    }

    public int size() {
        return tokens.size();
    }

    public void write(Path file) throws IOException {
        Files.write(file, tokens, StandardCharsets.UTF_8);
    }

    public static DescriptionVocabulary read(Path file) throws IOException {
        return new DescriptionVocabulary(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
}
