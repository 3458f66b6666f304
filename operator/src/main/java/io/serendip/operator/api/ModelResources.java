package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Compute for a model server: CPU, memory and GPUs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelResources {
  @Min(0)
  @Max(16)
  @Default("0")
  @JsonPropertyDescription(
      "GPUs per pod (nvidia.com/gpu limit). 0 runs on CPU; more than 0 adds the nvidia.com/gpu"
          + " toleration and schedules on GPU nodes.")
  public Integer gpus = 0;

  @Size(max = 128)
  @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription(
      "Required GPU product (node label nvidia.com/gpu.product), e.g. NVIDIA-H100-80GB-HBM3."
          + " Empty accepts any GPU node.")
  public String gpuProduct;

  @Pattern(ApiConstants.QUANTITY)
  @Default("500m")
  @JsonPropertyDescription("CPU request per pod (Kubernetes quantity).")
  public String cpu = "500m";

  @Pattern(ApiConstants.QUANTITY)
  @Default("1Gi")
  @JsonPropertyDescription("Memory request and limit per pod (Kubernetes quantity).")
  public String memory = "1Gi";

  @Size(max = 63)
  @Pattern(ApiConstants.DNS_LABEL)
  @JsonPropertyDescription("RuntimeClass for the pods, e.g. nvidia when the GPU runtime is not the default.")
  public String runtimeClassName;
}
