package io.serendip.operator.clusterset;

import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestClusterSetSpec;
import io.serendip.operator.support.ContentHash;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and paths of a cluster-set build, versioned by the spec fields that shape the clusters. */
public final class ClusterSetVersion {

  private ClusterSetVersion() {}

  /** Pod overrides and storage do not change the clusters, so they are left out of the version. */
  public static String of(InterestClusterSet cs) {
    InterestClusterSetSpec s = cs.getSpec();
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("catalog", s.catalog);
    inputs.put("embedding", s.embedding);
    inputs.put("levels", s.levels);
    inputs.put("servingLevel", s.servingLevel);
    inputs.put("describer", s.describer);
    inputs.put("seed", s.seed);
    return ContentHash.version(inputs);
  }

  public static String artifactPath(InterestClusterSet cs) {
    return "/artifacts/clusters/" + cs.getMetadata().getName() + "/" + of(cs);
  }

  public static String buildJobName(InterestClusterSet cs) {
    return cs.getMetadata().getName() + "-build-" + of(cs);
  }
}
