package io.serendip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobConfigsTest {

    /** One complete, valid config of every kind. */
    static Stream<JobConfig> everyKind() {
        return Stream.of(
                JobConfig.clusterBuild(new ClusterBuildSettings(ClusterBuildSettings.CatalogFormat.MovieLens100K,
                        "/data/ml-100k", ClusterBuildSettings.Embedding.CoOccurrence, 32, null, List.of(8, 24), 5,
                        7L, "/artifacts/clusters/c/v1")),
                JobConfig.interestModelTraining(new InterestModelTrainingSettings("/artifacts/clusters/c/v1",
                        "/artifacts/interest/m/v2", InterestModelTrainingSettings.Method.FineTune, "SmolLM2-135M-Instruct",
                        null, 8, 320, null, null, 2, 1, 8, 0.003, 42L, 500)),
                JobConfig.recommenderTraining(new RecommenderTrainingSettings("/artifacts/clusters/c/v1",
                        "/artifacts/recommender/r/v3", 50, 32, 1, 2, 4, 128, 0.001, 42L)),
                JobConfig.noveltyPrecompute(new NoveltyPrecomputeSettings("/artifacts/clusters/c/v1",
                        "/artifacts/interest/m/v2", 2, 3, 4, 4, "/artifacts/novelty/m/v4/shards")),
                JobConfig.noveltyMerge(new NoveltyMergeSettings("/artifacts/novelty/m/v4/shards",
                        "/artifacts/clusters/c/v1", "/artifacts/novelty/m/v4", "/artifacts/interest/m/v2", 0.9, 0.015)),
                JobConfig.artifactCleanup(new ArtifactCleanupSettings("/artifacts",
                        List.of("/artifacts/interest-models/m/v1", "/artifacts/novelty/m/v0"))));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyKindRoundTripsThroughItsYaml(JobConfig config) {
        assertThat(JobConfigValidator.validate(config)).isEmpty();
        String yaml = JobConfigs.write(config);
        assertThat(yaml).startsWith("apiVersion: serendip.io/v1alpha1\nkind: " + config.kind() + "\n");
        assertThat(JobConfigs.parse(yaml)).isEqualTo(config);
        assertThat(JobConfigs.write(JobConfigs.parse(yaml))).isEqualTo(yaml);
    }

    @Test
    void eachBadFieldIsNamed() {
        String yaml = """
                apiVersion: serendip.io/v1alpha1
                kind: NoveltyMerge
                noveltyMerge:
                  shards: relative/shards
                  clusters: /artifacts/clusters/c/v1
                  output: /artifacts/novelty/m/v4
                  minExactMatchRate: 1.5
                  minRecall: 0.01
                """;
        assertThatThrownBy(() -> JobConfigs.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactlyInAnyOrder(
                        "noveltyMerge.shards: must be an absolute path (got relative/shards)",
                        "noveltyMerge.minExactMatchRate: must be between 0 and 1 (got 1.5)",
                        "noveltyMerge.interestModel: is required when a gate is set"));
    }

    @Test
    void aCleanupNeverReachesOutsideItsRoot() {
        assertThatThrownBy(() -> JobConfigs.parse("""
                apiVersion: serendip.io/v1alpha1
                kind: ArtifactCleanup
                artifactCleanup:
                  root: /artifacts
                  paths: [/artifacts, /artifacts/m/../../etc, /data/m/v1, relative/v1, /artifacts/m/v1]
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactlyInAnyOrder(
                        "artifactCleanup.paths[0]: must lie strictly inside /artifacts without . or .. (got /artifacts)",
                        "artifactCleanup.paths[1]: must lie strictly inside /artifacts without . or .. (got /artifacts/m/../../etc)",
                        "artifactCleanup.paths[2]: must lie strictly inside /artifacts without . or .. (got /data/m/v1)",
                        "artifactCleanup.paths[3]: must be an absolute path (got relative/v1)"));
        assertThatThrownBy(() -> JobConfigs.parse("""
                apiVersion: serendip.io/v1alpha1
                kind: ArtifactCleanup
                artifactCleanup: {root: /artifacts, paths: []}
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors())
                        .containsExactly("artifactCleanup.paths: must list at least one path"));
    }

    @Test
    void theSectionMustMatchTheKind() {
        String yaml = """
                apiVersion: serendip.io/v1alpha1
                kind: NoveltyPrecompute
                noveltyMerge: {shards: /s, clusters: /c, output: /o}
                """;
        assertThatThrownBy(() -> JobConfigs.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactlyInAnyOrder(
                        "noveltyPrecompute: is required for kind NoveltyPrecompute",
                        "noveltyMerge: is not allowed for kind NoveltyPrecompute"));
    }

    @Test
    void unknownFieldsAndUnknownEnumValuesAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> JobConfigs.parse("""
                apiVersion: serendip.io/v1alpha1
                kind: RecommenderTraining
                recommenderTraining: {clusters: /c, output: /o, epochz: 3}
                """)).hasMessageContaining("recommenderTraining.epochz: unknown field");
        assertThatThrownBy(() -> JobConfigs.parse("""
                apiVersion: serendip.io/v1alpha1
                kind: ClusterBuild
                clusterBuild: {catalogFormat: Parquet, catalog: /c, embedding: CoOccurrence, dimension: 8, levels: [4], output: /o}
                """)).hasMessageContaining("clusterBuild.catalogFormat:").hasMessageContaining("Parquet");
        assertThatThrownBy(() -> JobConfigs.parse("kind: Reindex\n")).hasMessageContaining("kind:");
    }

    @Test
    void fineTuneOnlySettingsAreRefusedForAModelTrainedFromScratch() {
        var settings = new InterestModelTrainingSettings("/c", "/o", InterestModelTrainingSettings.Method.FromScratch,
                "SmolLM2-135M-Instruct", null, 8, null, 32, 1, 2, 6, null, null, null, null);
        assertThat(JobConfigValidator.validate(JobConfig.interestModelTraining(settings))).containsExactlyInAnyOrder(
                "interestModelTraining.baseModel: applies to method FineTune only",
                "interestModelTraining.loraRank: applies to method FineTune only");
    }

    @Test
    void clusterLevelsGoFromCoarseToFine() {
        var settings = new ClusterBuildSettings(ClusterBuildSettings.CatalogFormat.Dataset, "/d",
                ClusterBuildSettings.Embedding.ItemTextEncoder, null, "all-MiniLM-L6-v2", List.of(20, 10), null, null, "/o");
        assertThat(JobConfigValidator.validate(JobConfig.clusterBuild(settings)))
                .containsExactly("clusterBuild.levels[1]: must be finer than the level before (got 10)");
    }
}
