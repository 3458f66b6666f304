package io.serendip.operator.interestmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelSpec;
import io.serendip.operator.support.ContentHash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Version, paths and Job names of a novelty-table precompute. The version hashes the inputs of the
 * table only, so scaling the server (spec.replicas) does not recompute it.
 */
public record NoveltyTable(String version, String directory, String path, String precomputeJob, String mergeJob) {
  /** File name of the table inside its artifact directory (the runtime's merge-novelty output). */
  public static final String TABLE_FILE = "novelty-table.bin";
  /** Where the Indexed precompute Job's pods leave their shard files for the merge Job. */
  public static final String SHARDS_DIR = "shards";
  /** Sub-directory of a cluster-set artifact with the dataset it was built from (runtime build-cluster-set). */
  public static final String CLUSTER_SET_DATASET_DIR = "dataset";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public static NoveltyTable of(InterestModel im, String clustersPath) {
    InterestModelSpec s = im.getSpec();
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("artifact", s.artifact);
    inputs.put("clusters", clustersPath);
    inputs.put("historyLength", s.historyLength);
    inputs.put("candidates", s.candidates);
    inputs.put("decoding", s.decoding);
    inputs.put("shards", precompute(s).shards);
    inputs.put("gates", s.gates);
    String version;
    try {
      version = "v" + ContentHash.of(JSON.writeValueAsString(inputs));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("spec is always serialisable", e);
    }
    String name = im.getMetadata().getName();
    String dir = "/artifacts/novelty/" + name + "/" + version;
    return new NoveltyTable(version, dir, dir + "/" + TABLE_FILE,
        name + "-precompute-" + version, name + "-merge-" + version);
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
