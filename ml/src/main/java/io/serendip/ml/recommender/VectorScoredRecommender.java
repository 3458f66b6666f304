package io.serendip.ml.recommender;

/**
 * A sequence recommender whose item scores are dot products of the user state with fixed item vectors:
 * the own transformer (its item embeddings) and imported TorchScript/ONNX models (their item-vectors file)
 * differ only in how they encode a history.
 */
abstract class VectorScoredRecommender implements SequenceRecommender {
    protected final ItemVectors itemVectors;

    VectorScoredRecommender(ItemVectors itemVectors) {
        this.itemVectors = itemVectors;
    }

    @Override
    public final float[] scoreAll(float[] userState) {
        return itemVectors.scoreAll(userState);
    }

    @Override
    public final float[] scoreCandidates(float[] userState, int[] candidates) {
        return itemVectors.scoreCandidates(userState, candidates);
    }

    @Override
    public final GroupScorer candidateGroups(int[][] groups) {
        return itemVectors.grouped(groups);
    }
}
