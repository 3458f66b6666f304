package io.serendip.ml.jobs;

import io.serendip.ml.eval.HeldOutUsers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Fitting on training users only: the users that {@code train-interest-model --test-fraction --split-seed} and
 * {@code evaluate --held-out-fraction --split-seed} hold out are left out of what the clusters are built from, so
 * held-out cases are not scored against clusters that saw them.
 */
final class HeldOutSplitOptions {
    /** Manifest metric: 1 when the artifact was fit on users' interactions, 0 when on item text alone. */
    static final String USES_INTERACTIONS = "uses_interactions";

    @Option(names = "--held-out-fraction", defaultValue = "0",
            description = "Share of users to leave out of co-occurrence embeddings, picked as train-interest-model"
                    + " --test-fraction and evaluate --held-out-fraction pick them (default ${DEFAULT-VALUE}: none).")
    double fraction;

    @Option(names = "--split-seed", defaultValue = "42",
            description = "Seed of that split, as train-interest-model --split-seed (default ${DEFAULT-VALUE}).")
    long seed;

    List<int[]> trainingItems(List<int[]> itemSequences) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("--held-out-fraction must be in [0, 1), got " + fraction);
        }
        return fraction == 0 ? itemSequences : HeldOutUsers.trainingItems(itemSequences, fraction, seed);
    }

    /** The metrics of an embeddings manifest that say what it was fit on, for the cluster set built from it. */
    static Map<String, Double> fitMetrics(Map<String, Double> embeddingsMetrics) {
        Map<String, Double> fit = new LinkedHashMap<>();
        for (String key : List.of(USES_INTERACTIONS, "test_fraction", "split_seed")) {
            if (embeddingsMetrics.containsKey(key)) {
                fit.put(key, embeddingsMetrics.get(key));
            }
        }
        return fit;
    }

    /** What an artifact fit with these options records: the split, when users were held out. */
    Map<String, Double> manifestMetrics(boolean usesInteractions) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(USES_INTERACTIONS, usesInteractions ? 1.0 : 0.0);
        if (usesInteractions && fraction > 0) {
            metrics.put("test_fraction", fraction);
            metrics.put("split_seed", (double) seed);
        }
        return metrics;
    }
}
