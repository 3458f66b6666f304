package io.serendip.ml.interest;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.eval.HeldOutUsers;
import io.serendip.ml.interest.llm.BaseModel;
import io.serendip.ml.interest.llm.InterestDescriptions;
import io.serendip.ml.interest.llm.LlmInterestModel;
import io.serendip.ml.interest.llm.PromptTemplate;
import io.serendip.ml.jobs.ModelExtension;
import io.serendip.ml.novelty.NoveltySource;
import io.serendip.ml.novelty.TransitionCurator;
import io.serendip.ml.recommender.ModelArtifacts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Lets {@code precompute-novelty} and {@code evaluate} use a trained interest-model artifact and the pretrained base. */
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

    @Override
    public NoveltySource pretrainedLlm(ClusterSet clusters, Catalog catalog, HeldOutUsers users, int historyLength,
                                       PretrainedLlm how) {
        InterestDescriptions.Variant variant = InterestDescriptions.Variant.valueOf(how.descriptions());
        List<String> descriptions = InterestDescriptions.of(clusters, catalog, users.trainItems(), variant, 2);
        PromptTemplate template = PromptTemplate.DEFAULT;
        String name = "llm-zero-shot";
        if (how.shots() > 0) {
            List<int[]> curated = new ArrayList<>(InterestExamples.balanceByTarget(
                    TransitionCurator.examples(users.train(), historyLength), 3.0, how.seed()));
            Collections.shuffle(curated, new Random(how.seed() + 100));
            template = template.withExamples(curated.subList(0, Math.min(how.shots(), curated.size())), descriptions);
            name = "llm-few-shot-" + how.shots();
        }
        if (variant == InterestDescriptions.Variant.KEYWORDS) {
            name = name + "-keywords";
        }
        if (!"none".equals(how.quantization())) {
            name = name + "-" + how.quantization();
        }
        return LlmInterestModel.pretrained(name, BaseModel.defaultBase(), clusters, descriptions, template,
                historyLength, 4, how.quantization(), 0, line -> System.err.println("  llm: " + line));
    }

    @Override
    public Double exactMatchRate(NoveltySource source, ClusterSet clusters, List<int[]> histories) {
        if (source instanceof LlmInterestModel llm) {
            return GateEvaluator.exactMatchRate(llm, llm.spec().descriptions(), histories);
        }
        if (source instanceof TransformerInterestModel model) {
            return GateEvaluator.exactMatchRate(model, clusters.descriptions(), histories);
        }
        return null;
    }
}
