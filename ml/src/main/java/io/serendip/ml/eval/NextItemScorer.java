package io.serendip.ml.eval;

/**
 * Scores every catalog item as the next item after a history; higher is better. Baselines here; a learned sequence
 * recommender plugs in as {@code history -> recommender.scoreAll(recommender.encode(history))}.
 */
public interface NextItemScorer {
    float[] scoreAll(int[] history);

    String name();

    static NextItemScorer of(String name, java.util.function.Function<int[], float[]> scores) {
        return new NextItemScorer() {
            @Override
            public float[] scoreAll(int[] history) {
                return scores.apply(history);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
