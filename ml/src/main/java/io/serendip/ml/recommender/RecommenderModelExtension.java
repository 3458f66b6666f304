package io.serendip.ml.recommender;

import io.serendip.ml.eval.NextItemScorer;
import io.serendip.ml.jobs.ModelExtension;

import java.nio.file.Path;

/** Lets {@code evaluate --recommender DIR} score with a trained recommender artifact. */
public final class RecommenderModelExtension implements ModelExtension {

    @Override
    public NextItemScorer recommender(Path artifact) {
        if (!ModelArtifacts.hasKind(artifact, TransformerSequenceRecommender.KIND)) {
            return null;
        }
        SequenceRecommender recommender = SequenceRecommender.load(artifact);
        // an empty history has no user state: every item scores 0 and ties fall to the evaluator
        return NextItemScorer.of("sasrec", history -> history.length == 0 ? new float[recommender.itemCount()]
                : recommender.scoreAll(recommender.encode(history)));
    }
}
