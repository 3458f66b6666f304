package io.serendip.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArtifactLayoutTest {
    @Test
    void aCheckpointIsAHiddenFileBesideItsOutput() {
        assertThat(ArtifactLayout.checkpointOf("/artifacts/recommenders/r/v1")).isEqualTo("/artifacts/recommenders/r/.v1.checkpoint");
        assertThat(ArtifactLayout.checkpointOf("/artifacts/recommenders/r/v1/")).isEqualTo("/artifacts/recommenders/r/.v1.checkpoint");
        assertThat(ArtifactLayout.checkpointOf("model")).isEqualTo(".model.checkpoint");
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", ArtifactLayout.checkpointOf("/artifacts/m/v1"))).isTrue();
    }

    @Test
    void onlyPathsStrictlyInsideTheRootAreInside() {
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "/artifacts/m/v1")).isTrue();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts/", "/artifacts/m")).isTrue();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "/artifacts")).isFalse();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "/artifacts/")).isFalse();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "/artifactsX/m")).isFalse();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "/artifacts/m/../../etc")).isFalse();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "/artifacts/./m")).isFalse();
        assertThat(ArtifactLayout.isStrictlyInside("/artifacts", "m/v1")).isFalse();
        assertThat(ArtifactLayout.isStrictlyInside(null, "/artifacts/m")).isFalse();
    }
}
