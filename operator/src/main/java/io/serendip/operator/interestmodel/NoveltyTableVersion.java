package io.serendip.operator.interestmodel;

import io.serendip.config.ArtifactLayout;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelSpec;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.workload.VersionRetention;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Version, paths and Job names of a novelty-table precompute (the operator's view of a table version). The version hashes the inputs of the
 * table only, so scaling the server (spec.replicas) does not recompute it.
 */
public record NoveltyTableVersion(String version, String directory, String path, String precomputeJob, String mergeJob,
    String jobConfigMap) {

  public static NoveltyTableVersion of(InterestModel im, String clustersPath, String artifactPath,
      String artifactDigest) {
    InterestModelSpec s = im.getSpec();
    Map<String, Object> inputs = new LinkedHashMap<>();
    Map<String, Object> artifact = new LinkedHashMap<>(); // the model in use: spec.artifact or a trained version
    artifact.put("path", artifactPath);
    if (artifactDigest != null) {
      artifact.put("digest", artifactDigest);
    }
    inputs.put("artifact", artifact);
    inputs.put("clusters", clustersPath);
    inputs.put("historyLength", s.historyLength);
    inputs.put("candidates", s.candidates);
    inputs.put("decoding", s.decoding);
    inputs.put("shards", precompute(s).shards);
    inputs.put("gates", s.gates);
    String version = ContentHash.version(inputs);
    String name = im.getMetadata().getName();
    String dir = "/artifacts/novelty/" + name + "/" + version;
    return new NoveltyTableVersion(version, dir, ArtifactLayout.join(dir, ArtifactLayout.NOVELTY_TABLE_FILE),
        name + PRECOMPUTE + version, name + MERGE + version, name + NOVELTY + version);
  }

  private static final String PRECOMPUTE = "-precompute-";
  private static final String MERGE = "-merge-";
  private static final String NOVELTY = "-novelty-";
  /** As long as {@link #NOVELTY}: a cleanup Job's name is as long as its version's Job config's. */
  private static final String CLEANUP = "-cleanup-";

  /**
   * Table versions as {@link VersionRetention} retires them: the Job config {@code <model>-novelty-<version>}, its
   * precompute and merge Jobs, the table directory its merge config names, and the cleanup Job
   * {@code <model>-cleanup-<version>}.
   */
  static final VersionRetention.Kind VERSIONS = new VersionRetention.Kind("novelty table",
      NoveltyJobsConfigMap.COMPONENT, PrecomputePlan.MERGE_FILE,
      config -> List.of(renamed(config, PRECOMPUTE), renamed(config, MERGE)), config -> renamed(config, CLEANUP),
      false);

  /** A Job config's name {@code <model>-novelty-<version>} with another infix. */
  private static String renamed(String jobConfigMap, String infix) {
    int at = jobConfigMap.lastIndexOf(NOVELTY);
    return jobConfigMap.substring(0, at) + infix + jobConfigMap.substring(at + NOVELTY.length());
  }

  /** The directory of a novelty table file (what the merge's config names as its output). */
  static String directoryOf(String tablePath) {
    return tablePath.substring(0, tablePath.lastIndexOf('/'));
  }

  static InterestModelSpec.Precompute precompute(InterestModelSpec s) {
    return s.precompute == null ? new InterestModelSpec.Precompute() : s.precompute;
  }

  static InterestModelSpec.Gates gates(InterestModelSpec s) {
    return s.gates == null ? new InterestModelSpec.Gates() : s.gates;
  }

  static InterestModelSpec.Decoding decoding(InterestModelSpec s) {
    return s.decoding == null ? new InterestModelSpec.Decoding() : s.decoding;
  }
}
