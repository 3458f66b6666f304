package io.serendip.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigs;
import io.serendip.config.RecommenderTrainingSettings;
import io.serendip.operator.workload.VersionRetention.Version;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionRetentionTest {
  static final List<Version> VERSIONS = List.of(
      new Version("m-train-va", "2026-12-01T10:00:00Z"),
      new Version("m-train-vb", "2026-12-01T11:00:00Z"),
      new Version("m-train-vc", "2026-12-01T12:00:00Z"),
      new Version("m-train-vd", "2026-12-01T13:00:00Z"),
      new Version("m-train-ve", "2026-12-01T14:00:00Z"));

  @Test
  void theNewestBeyondTheProtectedOnesAreKeptUpToTheLimit() {
    // ve is asked for, vb serves: of va, vc, vd the two newest stay
    assertThat(VersionRetention.retired(VERSIONS, Set.of("m-train-ve", "m-train-vb"), 2)).containsExactly("m-train-va");
    assertThat(VersionRetention.retired(VERSIONS, Set.of("m-train-ve", "m-train-vb"), 0))
        .containsExactly("m-train-vd", "m-train-vc", "m-train-va");
    assertThat(VersionRetention.retired(VERSIONS, Set.of("m-train-ve"), 10)).isEmpty();
  }

  @Test
  void protectedVersionsAreNeverRetiredWhateverTheirAge() {
    assertThat(VersionRetention.retired(VERSIONS, Set.of("m-train-va", "m-train-ve"), 0))
        .doesNotContain("m-train-va", "m-train-ve").hasSize(3);
  }

  @Test
  void theCleanupJobIsNamedLikeTheVersionItCleans() {
    assertThat(TrainingJobs.cleanupJobName("novelty-train-model-train-v0123456789abcdef"))
        .isEqualTo("novelty-train-model-clean-v0123456789abcdef")
        .hasSameSizeAs("novelty-train-model-train-v0123456789abcdef");
  }

  @Test
  void theArtifactToDeleteIsTheOneTheVersionsConfigNamesAndOnlyThat() {
    var config = new ConfigMapBuilder().withNewMetadata().withName("r-train-v1").endMetadata()
        .addToData(TrainingJobs.CONFIG_FILE, JobConfigs.write(JobConfig.recommenderTraining(
            new RecommenderTrainingSettings("/artifacts/clusters/c/v1", "/artifacts/recommenders/r/v1", null, null,
                null, null, null, null, null, 42L))))
        .build();
    assertThat(VersionRetention.output(config, TrainingJobs.CONFIG_FILE)).contains("/artifacts/recommenders/r/v1");
    config.getData().put(TrainingJobs.CONFIG_FILE, "kind: Nonsense\n");
    assertThat(VersionRetention.output(config, TrainingJobs.CONFIG_FILE)).isEmpty();
    assertThat(VersionRetention.output(null, TrainingJobs.CONFIG_FILE)).isEmpty();
  }
}
