package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.config.Device;
import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.ServerSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountedPathsTest {
    private final MountedPaths mounts = MountedPaths.parse("/artifacts=/srv/node/a,/artifacts/models=/mnt/models/,/etc/serendip=/tmp/p/config");

    @Test
    void longestMountWinsAndOnlyWholeSegmentsMatch() {
        assertThat(mounts.resolve("/artifacts/clusters/v1")).isEqualTo("/srv/node/a/clusters/v1");
        assertThat(mounts.resolve("/artifacts/models/rec")).isEqualTo("/mnt/models/rec");
        assertThat(mounts.resolve("/artifacts")).isEqualTo("/srv/node/a");
        assertThat(mounts.resolve("/artifactsX/y")).isEqualTo("/artifactsX/y");
        assertThat(mounts.resolve(Path.of("/etc/serendip/config.yaml"))).isEqualTo(Path.of("/tmp/p/config/config.yaml"));
        assertThat(mounts.resolve("/var/other")).isEqualTo("/var/other");
    }

    @Test
    void resolvesEveryArtifactPathOfAConfigAndKeepsTheRest() {
        RuntimeConfig config = RuntimeConfig.recommender(ServerSettings.defaults(), new RecommenderSettings(
                "/artifacts/rec", "/artifacts/clusters", "/artifacts/novelty/table.bin", 12, 0.3, Device.CPU));
        RecommenderSettings r = mounts.resolve(config).recommender();
        assertThat(r.modelDir()).isEqualTo("/srv/node/a/rec");
        assertThat(r.clustersDir()).isEqualTo("/srv/node/a/clusters");
        assertThat(r.noveltyTable()).isEqualTo("/srv/node/a/novelty/table.bin");
        assertThat(r.defaultSlateSize()).isEqualTo(12);
        assertThat(r.device()).isEqualTo(Device.CPU);
        assertThat(MountedPaths.parse(null).resolve(config)).isSameAs(config);
    }

    @Test
    void malformedSpecNamesTheVariable() {
        assertThatThrownBy(() -> MountedPaths.parse("artifacts=/x")).hasMessageContaining(MountedPaths.ENV);
        assertThatThrownBy(() -> MountedPaths.parse("/artifacts=")).hasMessageContaining("/artifacts=");
    }
}
