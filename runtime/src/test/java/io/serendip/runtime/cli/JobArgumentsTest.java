package io.serendip.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.config.ArtifactCleanupSettings;
import io.serendip.config.ClusterBuildSettings;
import io.serendip.config.InterestModelTrainingSettings;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigValidator;
import io.serendip.config.JobKind;
import io.serendip.config.NoveltyMergeSettings;
import io.serendip.config.NoveltyPrecomputeSettings;
import io.serendip.config.RecommenderTrainingSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** Every Job config kind, with every optional field set, is accepted by the job command that runs it. */
class JobArgumentsTest {
    static final String CLUSTERS = "/artifacts/clusters/quickstart/v1";

    static final List<JobConfig> FULL = List.of(
            JobConfig.clusterBuild(new ClusterBuildSettings(ClusterBuildSettings.CatalogFormat.MovieLens100K,
                    "/data/ml-100k", ClusterBuildSettings.Embedding.CoOccurrence, 32, null, List.of(8, 24), 5, 7L, CLUSTERS)),
            JobConfig.clusterBuild(new ClusterBuildSettings(ClusterBuildSettings.CatalogFormat.Sequences,
                    "/data/seq.txt", ClusterBuildSettings.Embedding.ItemTextEncoder, null, "all-MiniLM-L6-v2-q",
                    List.of(10), 3, 1L, CLUSTERS)),
            JobConfig.interestModelTraining(new InterestModelTrainingSettings(CLUSTERS, "/artifacts/im/v2",
                    InterestModelTrainingSettings.Method.FineTune, "SmolLM2-135M-Instruct", "ab".repeat(32), 8, 320,
                    null, null, 2, 1, 8, 0.003, 42L, 200)),
            JobConfig.interestModelTraining(new InterestModelTrainingSettings(CLUSTERS, "/artifacts/im/v3",
                    InterestModelTrainingSettings.Method.FromScratch, null, null, null, null, 32, 1, 2, 6, 64, 0.002, 7L, null)),
            JobConfig.recommenderTraining(new RecommenderTrainingSettings(CLUSTERS, "/artifacts/rec/v4", 50, 32, 1, 2,
                    4, 128, 0.001, 42L)),
            JobConfig.noveltyPrecompute(new NoveltyPrecomputeSettings(CLUSTERS, "/artifacts/im/v2", 2, 3, 4, 4,
                    "/artifacts/novelty/im/v5/shards")),
            JobConfig.noveltyMerge(new NoveltyMergeSettings("/artifacts/novelty/im/v5/shards", CLUSTERS,
                    "/artifacts/novelty/im/v5", "/artifacts/im/v2", 0.9, 0.015)),
            JobConfig.artifactCleanup(new ArtifactCleanupSettings("/artifacts",
                    List.of("/artifacts/im/v1", "/artifacts/novelty/im/v4"))));

    static ParseResult parse(JobConfig config, Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of("job"));
        args.addAll(JobArguments.of(config, env));
        ParseResult job = Commands.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
        assertThat(job.subcommand()).as("job subcommand %s", args.get(1)).isNotNull();
        assertThat(job.subcommand().commandSpec().name()).isEqualTo(args.get(1));
        return job.subcommand();
    }

    @Test
    void everyKindWithEveryFieldParsesWithItsJob() {
        assertThat(FULL).extracting(JobConfig::kind).containsAll(EnumSet.allOf(JobKind.class));
        for (JobConfig config : FULL) {
            assertThat(JobConfigValidator.validate(config)).as(config.kind().name()).isEmpty();
            ParseResult parsed = parse(config, Map.of(JobArguments.COMPLETION_INDEX, "3"));
            assertThat(parsed.errors()).isEmpty();
            assertThat(parsed.unmatched()).isEmpty();
        }
    }

    @Test
    void settingsLandInTheOptionsThatMeanThem() {
        ParseResult build = parse(FULL.get(0), Map.of());
        assertThat(build.matchedOptionValue("--catalog-format", "")).isEqualTo("movielens-100k");
        assertThat(build.matchedOptionValue("--embedding", "")).isEqualTo("cooccurrence");
        assertThat(build.matchedOptionValue("--dimension", 0)).isEqualTo(32);
        assertThat((int[]) build.matchedOptionValue("--levels", new int[0])).containsExactly(8, 24);

        ParseResult llm = parse(FULL.get(2), Map.of());
        assertThat(llm.matchedOptionValue("--dataset", null).toString()).isEqualTo(CLUSTERS + "/dataset");
        assertThat(llm.matchedOptionValue("--lora-rank", 0)).isEqualTo(8);
        assertThat(llm.matchedOptionValue("--max-examples", 0)).isEqualTo(320);
        assertThat(llm.matchedOptionValue("--learning-rate", 0f)).isEqualTo(0.003f);
        assertThat(llm.matchedOptionValue("--max-gate-cases", 0)).isEqualTo(200);

        ParseResult shard = parse(FULL.get(5), Map.of(JobArguments.COMPLETION_INDEX, "3"));
        assertThat(shard.matchedOptionValue("--shard", "")).isEqualTo("3/4");
        assertThat(shard.matchedOptionValue("--top-n", 0)).isEqualTo(3);

        ParseResult merge = parse(FULL.get(6), Map.of());
        assertThat(merge.matchedOptionValue("--min-recall", 0d)).isEqualTo(0.015);
    }

    @Test
    void aShardedPrecomputeNeedsItsCompletionIndex() {
        JobConfig sharded = FULL.get(5);
        assertThatThrownBy(() -> JobArguments.of(sharded, Map.of()))
                .hasMessageContaining("JOB_COMPLETION_INDEX is not set");
        assertThatThrownBy(() -> JobArguments.of(sharded, Map.of(JobArguments.COMPLETION_INDEX, "4")))
                .hasMessageContaining("outside 0..3");
        JobConfig single = JobConfig.noveltyPrecompute(new NoveltyPrecomputeSettings(CLUSTERS, null, null, null, null, 1,
                "/o"));
        assertThat(JobArguments.of(single, Map.of())).containsSequence("--shard", "0/1");
    }

    @Test
    void absentSettingsLeaveTheJobsDefaults() {
        JobConfig minimal = JobConfig.recommenderTraining(new RecommenderTrainingSettings(CLUSTERS, "/o", null, null,
                null, null, null, null, null, null));
        assertThat(JobArguments.of(minimal, Map.of()))
                .containsExactly("train-recommender", "--dataset", CLUSTERS + "/dataset", "--output", "/o");
        assertThat(Arrays.asList(parse(minimal, Map.of()).matchedOptions().stream()
                .map(o -> o.longestName()).toArray())).containsExactly("--dataset", "--output");
    }
}
