package io.serendip.operator.interestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigs;
import io.serendip.config.JobKind;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.workload.JobConfigMaps;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The precompute and merge Jobs of a table version read their typed configs from one ConfigMap. */
class NoveltyJobsTest {
  static final String CLUSTERS = "/artifacts/clusters/quickstart/v123";
  /** The quickstart trains its model, so the artifact is the one a finished training version wrote. */
  static final String TRAINED = "/artifacts/interest-models/novelty-v1/t456";

  private static InterestModel quickstart() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("..", "examples", "quickstart", "10-interest-model.yaml"))) {
      InterestModel im = Serialization.unmarshal(in, InterestModel.class);
      im.getMetadata().setNamespace("default");
      im.getMetadata().setUid("0000");
      return im;
    }
  }

  private static PrecomputePlan plan(InterestModel im) {
    return new PrecomputePlan(NoveltyTableVersion.of(im, CLUSTERS, TRAINED, null), CLUSTERS, TRAINED);
  }

  private static JobConfig written(ConfigMap configMap, String file) {
    return JobConfigs.parse(configMap.getData().get(file));
  }

  @Test
  void whatTheOperatorWritesTheJobsAccept() throws Exception {
    InterestModel im = quickstart();
    PrecomputePlan plan = plan(im);
    assertThat(JobConfigMaps.validate(plan.jobConfigs(im))).isEmpty();
    ConfigMap configMap = JobConfigMaps.configMap(im, plan.table().jobConfigMap(), NoveltyJobsConfigMap.COMPONENT,
        plan.jobConfigs(im));

    JobConfig precompute = written(configMap, PrecomputePlan.PRECOMPUTE_FILE);
    assertThat(precompute.kind()).isEqualTo(JobKind.NoveltyPrecompute);
    assertThat(precompute.noveltyPrecompute().clusters()).isEqualTo(CLUSTERS);
    assertThat(precompute.noveltyPrecompute().interestModel()).isEqualTo(TRAINED);
    assertThat(precompute.noveltyPrecompute().shards()).isEqualTo(NoveltyTableVersion.precompute(im.getSpec()).shards);
    assertThat(precompute.noveltyPrecompute().output()).isEqualTo(plan.table().directory() + "/shards");

    JobConfig merge = written(configMap, PrecomputePlan.MERGE_FILE);
    assertThat(merge.noveltyMerge().shards()).isEqualTo(precompute.noveltyPrecompute().output());
    assertThat(merge.noveltyMerge().output()).isEqualTo(plan.table().directory());
    assertThat(plan.table().path()).isEqualTo(plan.table().directory() + "/novelty-table.bin");
    assertThat(merge.noveltyMerge().minRecall()).isEqualTo(NoveltyTableVersion.gates(im.getSpec()).minRecall);
  }

  @Test
  void bothJobsMountTheVersionsConfigMapAndNameTheirFile() throws Exception {
    InterestModel im = quickstart();
    PrecomputePlan plan = plan(im);
    Job precompute = NoveltyPrecomputeJob.build(im, plan);
    Job merge = NoveltyMergeJob.build(im, plan);
    assertThat(precompute.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(precompute.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("job", "--config", "/etc/serendip/precompute.yaml");
    assertThat(merge.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("job", "--config", "/etc/serendip/merge.yaml");
    for (Job job : new Job[] {precompute, merge}) {
      assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
          .anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo(plan.table().jobConfigMap()));
    }
    // a new table version gets its own ConfigMap: a retried pod of the old version still reads the old inputs
    im.getSpec().candidates = im.getSpec().candidates + 1;
    assertThat(plan(im).table().jobConfigMap()).isNotEqualTo(plan.table().jobConfigMap());
  }

  @Test
  void aTableVersionIsItsJobConfigWithItsTwoJobsAndItsCleanupIsNamedAsLong() {
    String config = "my-novelty-model-novelty-v0123456789abcdef";
    assertThat(NoveltyTableVersion.VERSIONS.jobsOf().apply(config))
        .containsExactly("my-novelty-model-precompute-v0123456789abcdef", "my-novelty-model-merge-v0123456789abcdef");
    assertThat(NoveltyTableVersion.VERSIONS.cleanupJobOf().apply(config))
        .isEqualTo("my-novelty-model-cleanup-v0123456789abcdef").hasSameSizeAs(config);
    assertThat(NoveltyTableVersion.directoryOf("/artifacts/novelty/m/v1/novelty-table.bin"))
        .isEqualTo("/artifacts/novelty/m/v1");
  }
}
