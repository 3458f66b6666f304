package io.serendip.ml.jobs;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.eval.HeldOutUsers;
import io.serendip.ml.eval.NextItemScorer;
import io.serendip.ml.novelty.NoveltySource;
import java.nio.file.Path;

/**
 * Lets learned models take part in the jobs without this package depending on them (found with
 * {@link java.util.ServiceLoader}): {@code evaluate --recommender/--interest-model} and
 * {@code precompute-novelty --interest-model}. An extension opens the artifact it recognises and returns null for
 * others. For {@code evaluate}, the artifact should have been trained without the evaluated users' held-out items.
 */
public interface ModelExtension {
    /** A next-item scorer backed by a recommender artifact, or null. */
    default NextItemScorer recommender(Path artifact) {
        return null;
    }

    /** A novelty source backed by an interest-model artifact built for these clusters, or null. */
    default NoveltySource interestModel(Path artifact, ClusterSet clusters) {
        return null;
    }

    /** The same with the decoding beam width set (0: the model's own). */
    default NoveltySource interestModel(Path artifact, ClusterSet clusters, int beamWidth) {
        return interestModel(artifact, clusters);
    }

    /**
     * How the pretrained base is asked without fine-tuning: zero-shot when {@code shots == 0}, else few-shot with
     * that many curated transitions of the training users (sampled with {@code seed}) in its prompt;
     * {@code quantization} is its arithmetic ({@code none} or {@code int8}, as a fine-tuned version's) and
     * {@code descriptions} the description variant of the clusters ({@code KEYWORDS_AND_TITLES} or
     * {@code KEYWORDS}, as {@code train-interest-model --descriptions}).
     */
    record PretrainedLlm(int shots, long seed, String quantization, String descriptions) {
    }

    /**
     * The default pretrained base LLM without fine-tuning, over these clusters, with the descriptions a fine-tuning
     * run on the same training users would use, asked as {@code how} says. Null when no LLM is available.
     */
    default NoveltySource pretrainedLlm(ClusterSet clusters, Catalog catalog, HeldOutUsers users, int historyLength,
                                        PretrainedLlm how) {
        return null;
    }

    /** The share of these histories for which a source's unconstrained text is exactly a cluster description; null
     * for a source that generates no text. */
    default Double exactMatchRate(NoveltySource source, ClusterSet clusters, java.util.List<int[]> histories) {
        return null;
    }

    /** Opens an artifact with the first extension on the class path that recognises it. */
    static <T> T open(java.util.function.Function<ModelExtension, T> opener, String option, Path artifact) {
        T opened = first(opener);
        if (opened == null) {
            throw new IllegalArgumentException(option + " " + artifact + ": no model extension on the class path "
                    + "can open this artifact");
        }
        return opened;
    }

    /** The first non-null answer of the extensions on the class path, or null. */
    static <T> T first(java.util.function.Function<ModelExtension, T> ask) {
        for (ModelExtension extension : java.util.ServiceLoader.load(ModelExtension.class)) {
            T answer = ask.apply(extension);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }
}
