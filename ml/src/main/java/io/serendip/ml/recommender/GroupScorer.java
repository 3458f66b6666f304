package io.serendip.ml.recommender;

/**
 * Scores fixed groups of candidate items (the serving level's interest clusters) by the dot product with a user
 * state. Each group's item vectors are stored one after the other, the way an IVF index stores its lists, so
 * scoring a group reads memory in order instead of jumping between rows spread over the whole item matrix.
 * Immutable and thread-safe.
 */
public interface GroupScorer {
    int groupCount();

    /** Scores of the group's items, in the order its items were given. */
    float[] scoreGroup(float[] userState, int group);
}
