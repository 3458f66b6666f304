package io.serendip.operator.clusterset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.serendip.operator.api.InterestClusterSet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  private static List<String> args(InterestClusterSet cs) {
    return ClusterBuildJob.build(cs).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  @Test
  void theSentenceEncoderNamedInTheSpecIsTheOneTheJobRuns() throws Exception {
    InterestClusterSet cs = gpuExample();
    assertThat(args(cs)).containsSubsequence("--embedding", "text")
        .containsSubsequence("--text-model", "all-MiniLM-L6-v2");
    cs.getSpec().embedding.encoder = "all-MiniLM-L6-v2-q";
    assertThat(args(cs)).containsSubsequence("--text-model", "all-MiniLM-L6-v2-q");
  }
}
