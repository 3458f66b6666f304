package io.serendip.operator.workload;

import io.serendip.operator.api.ArtifactStorage;
import io.serendip.operator.api.ModelResources;
import io.serendip.operator.api.PodOverrides;
import java.util.List;

/**
 * Everything that shapes a pod the operator runs.
 *
 * @param component app.kubernetes.io/component of the pods
 * @param args runtime arguments, e.g. {@code recommender --config /etc/serendip/config.yaml}
 * @param resources CPU, memory and GPUs (null: defaults, no GPU)
 * @param overrides user pod/container overrides (nullable)
 * @param storage artifact volume (nullable: an emptyDir)
 * @param configMapName ConfigMap mounted at /etc/serendip (nullable for jobs)
 * @param configHash content hash of that ConfigMap (nullable)
 * @param server whether this is a long-running HTTP server (probes, port) or a batch pod
 * @param llm whether the pod runs the LLM component (Python), which only the runtime-cuda image carries
 * @param secretName Secret whose keys are mounted beside the config under /etc/serendip, with the pod's IP in
 *     {@code SERENDIP_POD_IP} (the router's request-id key and its address for the other replicas; nullable)
 */
public record PodSpecInput(
    String component,
    List<String> args,
    ModelResources resources,
    PodOverrides overrides,
    ArtifactStorage storage,
    String configMapName,
    String configHash,
    boolean server,
    boolean llm,
    String secretName) {

  /** A pod without a mounted Secret. */
  public PodSpecInput(String component, List<String> args, ModelResources resources, PodOverrides overrides,
      ArtifactStorage storage, String configMapName, String configHash, boolean server, boolean llm) {
    this(component, args, resources, overrides, storage, configMapName, configHash, server, llm, null);
  }

  /** A pod that does not run the LLM component. */
  public PodSpecInput(String component, List<String> args, ModelResources resources, PodOverrides overrides,
      ArtifactStorage storage, String configMapName, String configHash, boolean server) {
    this(component, args, resources, overrides, storage, configMapName, configHash, server, false, null);
  }
}
