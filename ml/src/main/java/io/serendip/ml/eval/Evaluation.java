package io.serendip.ml.eval;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.RandomNoveltySource;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.novelty.TransitionFrequencySource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole offline evaluation of one dataset: accuracy of next-item scorers (popularity and item-transition
 * baselines, plus any plugged-in learned model) and exploration metrics of novelty sources (transition-frequency
 * and random baselines, plus any plugged-in learned source).
 */
public final class Evaluation {

    /**
     * What to evaluate.
     *
     * @param extraScorers learned scorers, built from the leave-one-out split (train on its training sequences)
     * @param extraSources learned novelty sources, built from the history/future split (learn from its histories)
     */
    public record Options(String datasetName, int k, int n, long seed,
                          List<Function<LeaveOneOutSplit, NextItemScorer>> extraScorers,
                          List<Function<HistoryFutureSplit, NoveltySource>> extraSources) {
        public Options {
            extraScorers = extraScorers == null ? List.of() : List.copyOf(extraScorers);
            extraSources = extraSources == null ? List.of() : List.copyOf(extraSources);
        }
    }

    /** Slate size of the accuracy-versus-exploration table. */
    public static final int SLATE_SIZE = 10;

    private Evaluation() {
    }

    public static EvaluationReport run(List<int[]> sequences, ClusterSet clusters, Options options,
                                       java.util.function.Consumer<String> progress) {
        int itemCount = clusters.items().size();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(sequences, itemCount, LeaveOneOutSplit.DEFAULT_MIN_LENGTH);
        List<int[]> training = split.trainingSequencesWithValidation();
        List<NextItemScorer> scorers = new ArrayList<>();
        scorers.add(new PopularityScorer(training, itemCount));
        scorers.add(new ItemTransitionScorer(training, itemCount));
        options.extraScorers().forEach(factory -> scorers.add(factory.apply(split)));
        Map<String, Map<String, Double>> accuracy = new LinkedHashMap<>();
        for (NextItemScorer scorer : scorers) {
            progress.accept("accuracy: " + scorer.name() + " on " + split.users().size() + " users");
            accuracy.put(scorer.name(), AccuracyEvaluator.test(split, scorer));
        }

        int[] slots = {0, 1, 2, 3, 5};
        TransitionFrequencySource looSource = TransitionFrequencySource.fit(
                TransitionCurator.clusterSequences(training, clusters), clusters.clusterCount(), options.k());
        Map<String, Map<String, Double>> slates = new LinkedHashMap<>();
        for (NextItemScorer scorer : scorers) {
            progress.accept("slates with exploration slots: " + scorer.name());
            slates.put(scorer.name(), SlateEvaluator.evaluate(split, clusters, options.k(), SLATE_SIZE, slots, scorer,
                    looSource));
        }

        HistoryFutureSplit future = HistoryFutureSplit.of(sequences, HistoryFutureSplit.DEFAULT_HISTORY_FRACTION,
                HistoryFutureSplit.DEFAULT_MIN_LENGTH);
        List<NoveltySource> sources = new ArrayList<>();
        sources.add(TransitionFrequencySource.fit(TransitionCurator.clusterSequences(future.histories(), clusters),
                clusters.clusterCount(), options.k()));
        sources.add(new RandomNoveltySource(clusters.clusterCount(), options.seed()));
        options.extraSources().forEach(factory -> sources.add(factory.apply(future)));
        NextItemScorer grounding = new PopularityScorer(future.histories(), itemCount);
        Map<String, Map<String, Double>> exploration = new LinkedHashMap<>();
        for (NoveltySource source : sources) {
            progress.accept("exploration: " + source.name() + " on " + future.size() + " users");
            exploration.put(source.name(), ExplorationEvaluator.evaluate(future, clusters, options.k(), options.n(),
                    source, grounding));
        }

        long events = sequences.stream().mapToLong(s -> s.length).sum();
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", options.datasetName());
        dataset.put("users", sequences.size());
        dataset.put("items", itemCount);
        dataset.put("positiveEvents", events);
        dataset.put("leaveOneOutUsers", split.users().size());
        dataset.put("historyFutureUsers", future.size());
        dataset.put("clusters", clusters.clusterCount());
        dataset.put("clusterLevels", clusters.levels());
        dataset.put("k", options.k());
        dataset.put("n", options.n());
        int[] sizes = clusters.sizes(clusters.servingLevel());
        List<String> descriptions = clusters.descriptions();
        return new EvaluationReport(dataset, accuracy, exploration, slates, sizes, descriptions, Map.of(), null);
    }
}
