package io.serendip.ml.interest;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.interest.llm.LlmInterestModel;
import io.serendip.ml.recommender.ModelArtifacts;

import java.nio.file.Path;
import java.util.List;

/**
 * The novel-interest generator: reads the descriptions of a user's last {@link #historyLength()} distinct
 * clusters and generates the description of the next, novel one. Decoding is constrained by a trie of the
 * cluster descriptions, so every result is a valid cluster id and never one in the history. Thread-safe.
 */
public interface NovelInterestModel extends AutoCloseable {

    /** A generated cluster and its score (log-probability of its description; higher is better). */
    record ScoredCluster(int cluster, double score) {
    }

    /**
     * Loads an interest-model artifact trained for this cluster set (verified by its manifest): the from-scratch LM
     * in this JVM, or the LLM kept loaded in a process of the LLM component (its log lines go to stderr).
     */
    static NovelInterestModel load(Path dir, ClusterSet clusters) {
        if (ModelArtifacts.hasKind(dir, LlmInterestModel.KIND)) {
            return LlmInterestModel.load(dir, clusters, null, 0, 0, line -> System.err.println("llm: " + line))
                    .online();
        }
        return TransformerInterestModel.load(dir, clusters);
    }

    int historyLength();

    /**
     * Up to {@code n} novel clusters, best first, for a history of distinct clusters (oldest first). Histories
     * longer than {@link #historyLength()} keep their most recent clusters; shorter ones are allowed.
     */
    List<ScoredCluster> novelInterests(int[] historyClusters, int n);

    @Override
    void close();
}
