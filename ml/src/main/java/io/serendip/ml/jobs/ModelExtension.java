package io.serendip.ml.jobs;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.eval.HistoryFutureSplit;
import io.serendip.ml.eval.LeaveOneOutSplit;
import io.serendip.ml.eval.NextItemScorer;
import io.serendip.ml.novelty.NoveltySource;
import java.nio.file.Path;

/**
 * Lets learned models take part in {@code job evaluate} (found with {@link java.util.ServiceLoader}). An extension
 * opens the artifact given by {@code --recommender} or {@code --interest-model}; it returns null for artifacts it
 * does not handle. The split is passed so that a model is judged only on data it was not trained on.
 */
public interface EvaluationExtension {
    default NextItemScorer recommender(Path artifact, LeaveOneOutSplit split) {
        return null;
    }

    default NoveltySource interestModel(Path artifact, ClusterSet clusters, HistoryFutureSplit split) {
        return null;
    }
}
