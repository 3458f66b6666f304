package io.serendip.runtime.cli;

import io.serendip.config.ArtifactCleanupSettings;
import io.serendip.config.ArtifactLayout;
import io.serendip.config.ClusterBuildSettings;
import io.serendip.config.InterestModelTrainingSettings;
import io.serendip.config.JobConfig;
import io.serendip.config.NoveltyMergeSettings;
import io.serendip.config.NoveltyPrecomputeSettings;
import io.serendip.config.RecommenderTrainingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A validated {@link JobConfig} as the command line of the job subcommand that runs it. This is the one place where
 * a typed Job contract meets the jobs' options; {@code JobArgumentsTest} parses every kind with the real commands.
 */
final class JobArguments {
    /** Set by the Job controller in each pod of an Indexed Job. */
    static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

    private JobArguments() {
    }

    /** Subcommand name first, then its options; {@code env} supplies the Indexed Job's completion index. */
    static List<String> of(JobConfig config, Map<String, String> env) {
        return switch (config.kind()) {
            case ClusterBuild -> clusterBuild(config.clusterBuild());
            case InterestModelTraining -> interestModelTraining(config.interestModelTraining());
            case RecommenderTraining -> recommenderTraining(config.recommenderTraining());
            case NoveltyPrecompute -> noveltyPrecompute(config.noveltyPrecompute(), env);
            case NoveltyMerge -> noveltyMerge(config.noveltyMerge());
            case ArtifactCleanup -> artifactCleanup(config.artifactCleanup());
        };
    }

    private static List<String> clusterBuild(ClusterBuildSettings s) {
        Args args = new Args("build-cluster-set")
                .add("--catalog-format", switch (s.catalogFormat()) {
                    case MovieLens100K -> "movielens-100k";
                    case Sequences -> "sequences";
                    case Dataset -> "dataset";
                })
                .add("--catalog", s.catalog())
                .add("--embedding", s.embedding() == ClusterBuildSettings.Embedding.ItemTextEncoder ? "text" : "cooccurrence")
                .add("--levels", s.levels().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .add("--keywords", s.keywords())
                .add("--seed", s.seed())
                .add("--output", s.output());
        if (s.embedding() == ClusterBuildSettings.Embedding.CoOccurrence) {
            args.add("--dimension", s.dimension());
        } else {
            args.add("--text-model", s.textModel());
        }
        return args.list;
    }

    private static List<String> interestModelTraining(InterestModelTrainingSettings s) {
        boolean fineTune = s.method() == InterestModelTrainingSettings.Method.FineTune;
        return new Args("train-interest-model")
                .add("--model", fineTune ? "llm" : "from-scratch")
                .add("--dataset", ArtifactLayout.datasetOf(s.clusters()))
                .add("--clusters", s.clusters())
                .add("--output", s.output())
                .add("--base", s.baseModel())
                .add("--base-sha256", s.baseModelSha256())
                .add("--lora-rank", s.loraRank())
                .add("--max-examples", s.maxExamples())
                .add("--hidden", s.hidden())
                .add("--layers", s.layers())
                .add("--history-length", s.historyLength())
                .add("--epochs", s.epochs())
                .add("--batch-size", s.batchSize())
                .add("--learning-rate", s.learningRate())
                .add("--seed", s.seed())
                .add("--max-gate-cases", s.maxGateCases())
                .list;
    }

    private static List<String> recommenderTraining(RecommenderTrainingSettings s) {
        return new Args("train-recommender")
                .add("--dataset", ArtifactLayout.datasetOf(s.clusters()))
                .add("--output", s.output())
                .add("--max-length", s.maxLength())
                .add("--hidden", s.hidden())
                .add("--layers", s.layers())
                .add("--heads", s.heads())
                .add("--epochs", s.epochs())
                .add("--batch-size", s.batchSize())
                .add("--learning-rate", s.learningRate())
                .add("--seed", s.seed())
                .list;
    }

    private static List<String> noveltyPrecompute(NoveltyPrecomputeSettings s, Map<String, String> env) {
        return new Args("precompute-novelty")
                .add("--clusters", s.clusters())
                .add("--dataset", ArtifactLayout.datasetOf(s.clusters()))
                .add("--interest-model", s.interestModel())
                .add("--history-length", s.historyLength())
                .add("--top-n", s.candidates())
                .add("--beam-width", s.beamWidth())
                .add("--shard", shardIndex(s.shards(), env) + "/" + s.shards())
                .add("--output", s.output())
                .list;
    }

    private static List<String> noveltyMerge(NoveltyMergeSettings s) {
        return new Args("merge-novelty")
                .add("--shards", s.shards())
                .add("--clusters", s.clusters())
                .add("--output", s.output())
                .add("--interest-model", s.interestModel())
                .add("--min-exact-match-rate", s.minExactMatchRate())
                .add("--min-recall", s.minRecall())
                .list;
    }

    private static List<String> artifactCleanup(ArtifactCleanupSettings s) {
        Args args = new Args("delete-artifacts").add("--root", s.root());
        s.paths().forEach(path -> args.add("--path", path));
        return args.list;
    }

    private static int shardIndex(int shards, Map<String, String> env) {
        String index = env.get(COMPLETION_INDEX);
        if (index == null) {
            if (shards == 1) {
                return 0;
            }
            throw new IllegalArgumentException(COMPLETION_INDEX + " is not set: a precompute of " + shards
                    + " shards runs as an Indexed Job, one shard per pod");
        }
        try {
            int i = Integer.parseInt(index.strip());
            if (i < 0 || i >= shards) {
                throw new IllegalArgumentException(COMPLETION_INDEX + "=" + index + " is outside 0.." + (shards - 1));
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(COMPLETION_INDEX + "=" + index + " is not a number");
        }
    }

    /** Options with a value; an absent (null) value leaves the job's default. */
    private static final class Args {
        final List<String> list = new ArrayList<>();

        Args(String subcommand) {
            list.add(subcommand);
        }

        Args add(String option, Object value) {
            if (value != null) {
                list.add(option);
                list.add(String.valueOf(value));
            }
            return this;
        }
    }
}
