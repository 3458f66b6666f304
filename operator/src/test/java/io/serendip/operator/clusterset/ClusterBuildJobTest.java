package io.serendip.operator.clusterset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.serendip.config.ClusterBuildSettings;
import io.serendip.config.JobConfigs;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.api.InterestClusterSet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterBuildJobTest {

  private static InterestClusterSet gpuExample() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("..", "examples", "gpu", "10-interest-cluster-set.yaml"))) {
      InterestClusterSet cs = Serialization.unmarshal(in, InterestClusterSet.class);
      cs.getMetadata().setNamespace("default");
      cs.getMetadata().setUid("0000");
      return cs;
    }
  }

  /** The config as the job reads it: from the ConfigMap's YAML, through the job's own validation. */
  private static ClusterBuildSettings written(InterestClusterSet cs) {
    ConfigMap configMap = JobConfigMaps.configMap(cs, "build", ClusterBuildJob.COMPONENT, ClusterBuildJob.configFiles(cs));
    assertThat(configMap.getImmutable()).isTrue();
    return JobConfigs.parse(configMap.getData().get(ClusterBuildJob.CONFIG_FILE)).clusterBuild();
  }

  @Test
  void theSentenceEncoderNamedInTheSpecIsTheOneTheJobRuns() throws Exception {
    InterestClusterSet cs = gpuExample();
    assertThat(written(cs).embedding()).isEqualTo(ClusterBuildSettings.Embedding.ItemTextEncoder);
    assertThat(written(cs).textModel()).isEqualTo("all-MiniLM-L6-v2");
    cs.getSpec().embedding.encoder = "all-MiniLM-L6-v2-q";
    assertThat(written(cs).textModel()).isEqualTo("all-MiniLM-L6-v2-q");
  }

  @Test
  void theJobRunsItsConfigFileFromTheConfigMapNamedLikeIt() throws Exception {
    InterestClusterSet cs = gpuExample();
    Job job = ClusterBuildJob.build(cs);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).containsExactly("job", "--config", "/etc/serendip/build.yaml");
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap().getName())
        .isEqualTo(job.getMetadata().getName()));
    // only the levels down to the serving one are built
    cs.getSpec().servingLevel = 0;
    assertThat(written(cs).levels()).containsExactly(cs.getSpec().levels.get(0).clusters);
    assertThat(written(cs).output()).isEqualTo(ClusterSetVersion.artifactPath(cs));
  }
}
