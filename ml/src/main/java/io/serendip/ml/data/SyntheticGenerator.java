package io.serendip.ml.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a catalog and interaction log with planted interest structure, deterministic for a seed.
 *
 * <p>Each of {@code interests} topics owns a vocabulary; an item belongs to one topic, its text uses that topic's
 * words and its tag is {@code topic-<t>}. A user dwells on a topic for a few items, then moves on: with
 * probability {@code 0.6} to topic {@code t+1}, {@code 0.25} to {@code t+3}, otherwise to a random topic (mod the
 * topic count). So "which interest comes next" is learnable from transitions. Positive events are {@code like};
 * one in five events is a {@code skip} on a random item, which must not count as engagement.
 */
public final class SyntheticGenerator {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ru", "te", "vo", "za", "ne", "pi", "sa", "do", "gu"};

    public record Options(int items, int users, int interests, int meanLength, long seed) {
        public Options {
            if (items < interests || interests < 4 || users < 1 || meanLength < 3) {
                throw new IllegalArgumentException("need items >= interests >= 4, users >= 1, meanLength >= 3");
            }
        }
    }

    private SyntheticGenerator() {
    }

    /** Topic of an item in a generated catalog (read back from its tag). */
    public static int topicOf(CatalogItem item) {
        return Integer.parseInt(item.tags().get(0).substring("topic-".length()));
    }

    public static Dataset generate(Options options) {
        Random random = new Random(options.seed());
        int topics = options.interests();
        List<List<String>> vocabularies = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                words.add(word(random) + t);
            }
            vocabularies.add(words);
        }
        List<CatalogItem> items = new ArrayList<>();
        List<List<Integer>> itemsByTopic = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            itemsByTopic.add(new ArrayList<>());
        }
        for (int i = 0; i < options.items(); i++) {
            int topic = i % topics;
            List<String> words = vocabularies.get(topic);
            String title = words.get(random.nextInt(3)) + " " + words.get(3 + random.nextInt(3));
            String text = title + " " + words.get(random.nextInt(words.size()));
            items.add(new CatalogItem("item-" + i, title, text, List.of("topic-" + topic)));
            itemsByTopic.get(topic).add(i);
        }
        List<Interaction> interactions = new ArrayList<>();
        long clock = 1_000_000L;
        for (int u = 0; u < options.users(); u++) {
            String user = "user-" + u;
            int length = 3 + random.nextInt(2 * options.meanLength() - 5);
            int topic = random.nextInt(topics);
            int dwell = 1 + random.nextInt(3);
            for (int step = 0; step < length; step++) {
                if (dwell == 0) {
                    double r = random.nextDouble();
                    topic = r < 0.6 ? (topic + 1) % topics : r < 0.85 ? (topic + 3) % topics : random.nextInt(topics);
                    dwell = 1 + random.nextInt(3);
                }
                List<Integer> pool = itemsByTopic.get(topic);
                // Skewed choice within the topic: low positions are popular.
                int pick = (int) (pool.size() * Math.pow(random.nextDouble(), 2));
                interactions.add(Interaction.event(user, items.get(pool.get(pick)).id(), clock++, "like"));
                dwell--;
                if (random.nextInt(5) == 0) {
                    interactions.add(Interaction.event(user, items.get(random.nextInt(items.size())).id(), clock++, "skip"));
                }
            }
        }
        return new Dataset(new Catalog(items), interactions);
    }

    private static String word(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            sb.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return sb.toString();
    }
}
