package io.serendip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArtifactTransfersTest {
    private static final String ROOT = "/artifacts";

    @Test
    void aClusterBuildDownloadsItsCatalogAndUploadsItsOutput() {
        JobConfig job = JobConfigsTest.everyKind().filter(j -> j.kind() == JobKind.ClusterBuild).findFirst().orElseThrow();
        ArtifactTransfers t = ArtifactTransfers.of(job, ROOT);
        // the catalog of this config lies outside the artifact root (e.g. in the image): nothing to download
        assertThat(t.inputs()).isEmpty();
        assertThat(t.outputs()).containsExactly("/artifacts/clusters/c/v1");
        assertThat(t.checkpoints()).isEmpty();
    }

    @Test
    void aTrainingResumesFromItsCheckpointWhenOneWasKept() {
        JobConfig job = JobConfigsTest.everyKind().filter(j -> j.kind() == JobKind.InterestModelTraining)
                .findFirst().orElseThrow();
        ArtifactTransfers t = ArtifactTransfers.of(job, ROOT);
        // the base model is a name (shipped in the image), not an artifact path
        assertThat(t.inputs()).containsExactly("/artifacts/clusters/c/v1");
        assertThat(t.optionalInputs()).containsExactly("/artifacts/interest/m/.v2.checkpoint");
        assertThat(t.checkpoints()).containsExactly("/artifacts/interest/m/.v2.checkpoint");
        assertThat(t.outputs()).containsExactly("/artifacts/interest/m/v2");
    }

    @Test
    void aMergeReadsTheShardsItsPrecomputePodsUploaded() {
        JobConfig job = JobConfigsTest.everyKind().filter(j -> j.kind() == JobKind.NoveltyMerge).findFirst().orElseThrow();
        ArtifactTransfers t = ArtifactTransfers.of(job, ROOT);
        assertThat(t.inputs()).containsExactly("/artifacts/novelty/m/v4/shards", "/artifacts/clusters/c/v1",
                "/artifacts/interest/m/v2");
        assertThat(t.outputs()).containsExactly("/artifacts/novelty/m/v4");
    }

    @Test
    void aCleanupTransfersNothingButDeletesItsPathsAndARouterReadsNoArtifact() {
        JobConfig job = JobConfigsTest.everyKind().filter(j -> j.kind() == JobKind.ArtifactCleanup).findFirst().orElseThrow();
        assertThat(ArtifactTransfers.of(job, ROOT)).isEqualTo(new ArtifactTransfers(List.of(), List.of(), List.of(),
                List.of(), List.of("/artifacts/interest-models/m/v1", "/artifacts/novelty/m/v0")));
        assertThat(JobConfigsTest.everyKind().filter(j -> j.kind() != JobKind.ArtifactCleanup)
                .map(j -> ArtifactTransfers.of(j, ROOT).deletions())).allMatch(List::isEmpty);
        RuntimeConfig router = RuntimeConfig.router(null, new RouterSettings("x", "salt", List.of(), null, null));
        assertThat(ArtifactTransfers.of(router, ROOT).inputs()).isEmpty();
    }

    @Test
    void aRecommenderServerDownloadsItsModelClustersAndTableOnce() {
        RuntimeConfig config = RuntimeConfig.recommender(null, new RecommenderSettings("/artifacts/recommender/r/v3/",
                "/artifacts/clusters/c/v1", "/artifacts/clusters/c/v1", null, null, null, null, null));
        assertThat(ArtifactTransfers.of(config, ROOT).inputs())
                .containsExactly("/artifacts/recommender/r/v3", "/artifacts/clusters/c/v1");
    }

    @Test
    void pathsOutsideTheRootOrClimbingOutOfItAreNeverTransferred() {
        RuntimeConfig config = RuntimeConfig.interestModel(null, new InterestModelSettings("/artifacts/../etc",
                "/models/clusters", 2, 3, null));
        assertThat(ArtifactTransfers.of(config, ROOT).inputs()).isEmpty();
    }
}
