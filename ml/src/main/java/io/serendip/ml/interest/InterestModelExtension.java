package io.serendip.ml.interest;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.interest.llm.LlmInterestModel;
import io.serendip.ml.jobs.ModelExtension;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.recommender.ModelArtifacts;

import java.nio.file.Path;

/** Lets {@code precompute-novelty} and {@code evaluate} use a trained interest-model artifact. */
public final class InterestModelExtension implements ModelExtension {

    @Override
    public NoveltySource interestModel(Path artifact, ClusterSet clusters) {
        return interestModel(artifact, clusters, 0);
    }

    @Override
    public NoveltySource interestModel(Path artifact, ClusterSet clusters, int beamWidth) {
        if (ModelArtifacts.hasKind(artifact, LlmInterestModel.KIND)) {
            // Progress of the LLM component goes to stderr: a job's stdout carries its own report lines.
            return LlmInterestModel.load(artifact, clusters, null, beamWidth, 0,
                    line -> System.err.println("  llm: " + line));
        }
        if (!ModelArtifacts.hasKind(artifact, TransformerInterestModel.KIND)) {
            return null;
        }
        return TransformerInterestModel.load(artifact, clusters, beamWidth);
    }
}
