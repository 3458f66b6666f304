package io.serendip.ml.recommender;

import io.serendip.ml.artifact.ArtifactManifest;
import java.nio.file.Path;

/**
 * A trained next-item model over dense item indices {@code 0..itemCount()-1}. {@link #encode} turns a
 * history into a user state with one forward pass; scoring a state is a dot product per item, so
 * scoring a candidate subset costs O(|candidates|·d). Implementations are thread-safe.
 */
public interface SequenceRecommender extends AutoCloseable {

    /**
     * Loads a {@code recommender} artifact directory after verifying its manifest: an externally trained model
     * when it holds {@code model.json} (TorchScript or ONNX, see {@link ExternalModelDescriptor}), else the own format.
     */
    static SequenceRecommender load(Path dir) {
        ArtifactManifest.readVerified(dir, TransformerSequenceRecommender.KIND);
        return ExternalModelDescriptor.presentIn(dir) ? ExternalSequenceRecommender.load(dir)
                : TransformerSequenceRecommender.load(dir);
    }

    /** The DJL engine that will run the artifact in {@code dir} (its declared format's, else PyTorch). */
    static String engineOf(Path dir) {
        return ExternalModelDescriptor.presentIn(dir) ? ExternalModelDescriptor.read(dir).format().engine()
                : TransformerSequenceRecommender.ENGINE;
    }

    int itemCount();

    /** Longest history the model reads; older items are ignored. */
    int maxHistory();

    /** The user state after the history (oldest first). Throws {@link IllegalArgumentException} for an empty
     * history or an item index outside {@code 0..itemCount()-1}. */
    float[] encode(int[] history);

    /** User states of many histories in one batched forward pass, in order; same contract as {@link #encode}. */
    float[][] encodeAll(int[][] histories);

    /** Score of every item, indexed by item. */
    float[] scoreAll(float[] userState);

    /** Scores of the given items, in the given order. */
    float[] scoreCandidates(float[] userState, int[] candidates);

    /**
     * A scorer for fixed candidate groups (e.g. the interest clusters' members), their item vectors copied into
     * one block per group: the same scores as {@link #scoreCandidates}, read in memory order. Costs one more copy
     * of the grouped items' vectors.
     */
    GroupScorer candidateGroups(int[][] groups);

    @Override
    void close();
}
