package io.serendip.ml.eval;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.novelty.TransitionCurator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The users an interest model learns from and the users its gates judge it on, split by a seeded shuffle. Users
 * with fewer than two engaged items carry no transition and take part in neither.
 *
 * @param trainItems item sequences of the training users
 * @param train      their cluster sequences (consecutive repeats collapsed)
 * @param test       cluster sequences of the held-out users
 * @param fraction   the share of users held out
 * @param seed       the seed of the shuffle
 */
public record HeldOutUsers(List<int[]> trainItems, List<int[]> train, List<int[]> test, double fraction, long seed) {

    /** The split as manifest metrics, so an evaluation can hold out the same users ({@code evaluate} checks). */
    public java.util.Map<String, Double> manifestMetrics() {
        return java.util.Map.of("test_fraction", fraction, "split_seed", (double) seed);
    }

    public static HeldOutUsers split(List<int[]> itemSequences, ClusterSet clusters, double testFraction, long seed) {
        List<int[]> users = shuffled(itemSequences, seed);
        int testUsers = testUsers(users.size(), testFraction);
        List<int[]> trainItems = users.subList(testUsers, users.size());
        return new HeldOutUsers(List.copyOf(trainItems), TransitionCurator.clusterSequences(trainItems, clusters),
                TransitionCurator.clusterSequences(users.subList(0, testUsers), clusters), testFraction, seed);
    }

    /**
     * The item sequences of the users {@link #split} keeps for training (same fraction, same seed), for fitting
     * what is built before the clusters exist (co-occurrence embeddings) on training users only.
     */
    public static List<int[]> trainingItems(List<int[]> itemSequences, double testFraction, long seed) {
        List<int[]> users = shuffled(itemSequences, seed);
        return List.copyOf(users.subList(testUsers(users.size(), testFraction), users.size()));
    }

    private static List<int[]> shuffled(List<int[]> itemSequences, long seed) {
        List<int[]> users = new ArrayList<>(itemSequences.stream().filter(s -> s.length >= 2).toList());
        Collections.shuffle(users, new Random(seed));
        return users;
    }

    private static int testUsers(int users, double testFraction) {
        return Math.min(users, Math.max(1, (int) Math.round(users * testFraction)));
    }
}
