package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Pod and container settings merged over what the operator generates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodOverrides {
  @JsonPropertyDescription("Extra node selector labels for the pods.")
  public Map<String, String> nodeSelector;

  @Size(max = 32)
  @JsonPropertyDescription("Extra tolerations (the nvidia.com/gpu toleration is added when gpus > 0).")
  public List<Toleration> tolerations;

  @Size(max = 64)
  @JsonPropertyDescription("Extra environment variables for the server container.")
  public List<EnvVar> env;

  @JsonPropertyDescription("Extra pod annotations.")
  public Map<String, String> annotations;

  @JsonPropertyDescription("Extra pod labels (the operator's own labels win on conflict).")
  public Map<String, String> labels;

  @Size(max = 253)
  @JsonPropertyDescription("ServiceAccount the pods run as.")
  public String serviceAccountName;

  @Size(max = 253)
  @JsonPropertyDescription("PriorityClass of the pods.")
  public String priorityClassName;
}
