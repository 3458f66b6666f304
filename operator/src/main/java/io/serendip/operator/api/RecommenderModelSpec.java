package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/**
 * The sequence recommender. clusterSetRef is immutable (the model's restricted retrieval is indexed
 * by those clusters); other changes roll the pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.autoscaling) || self.autoscaling.minReplicas <= self.autoscaling.maxReplicas",
    message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas",
    fieldPath = ".autoscaling.minReplicas")
@ValidationRule(
    value = "has(self.artifact) != has(self.training)",
    message = "set exactly one of artifact (a model trained elsewhere) and training (trained by a Job here)")
@ValidationRule(
    value = "!has(self.training) || self.engine == 'PyTorch'",
    message = "a recommender trained here runs on engine PyTorch",
    fieldPath = ".engine")
public class RecommenderModelSpec {
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiConstants.DNS_LABEL)
  @ValidationRule(value = "self == oldSelf", message = "clusterSetRef is immutable; create a new RecommenderModel")
  @JsonPropertyDescription("Name of the InterestClusterSet (same namespace) whose clusters restrict retrieval.")
  public String clusterSetRef;

  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiConstants.DNS_LABEL)
  @JsonPropertyDescription(
      "Name of the InterestModel (same namespace) whose precomputed novelty table picks the novel"
          + " clusters that fill exploration slots.")
  public String interestModelRef;

  @Default("PyTorch")
  @JsonPropertyDescription("DJL engine: PyTorch or OnnxRuntime.")
  public Engine engine = Engine.PyTorch;

  @JsonPropertyDescription("A recommender artifact trained elsewhere (bring your own); exclusive with training.")
  public ArtifactRef artifact;

  @JsonPropertyDescription("Train the recommender here: a Job on the cluster set's dataset, versioned by its inputs."
      + " A new version trains beside the one serving, which keeps serving until the new one is trained. Exclusive"
      + " with artifact.")
  public RecommenderTraining training;

  @Min(1)
  @Max(1000)
  @Default("200")
  @JsonPropertyDescription("Longest user history the model reads.")
  public Integer maxHistory = 200;

  @Min(1)
  @Max(1000)
  @Default("10")
  @JsonPropertyDescription("Slate size when a request does not give one.")
  public Integer defaultSlateSize = 10;

  @Min(1)
  @Max(256)
  @Default("16")
  @JsonPropertyDescription("Most concurrent requests whose forward passes run as one batch; 1 turns batching off.")
  public Integer maxBatchSize = 16;

  @Min(0)
  @Max(100_000)
  @Default("0")
  @JsonPropertyDescription("How long a batch that is not full may wait for more requests, in microseconds from its"
      + " first request's arrival (KServe's maxLatency, TorchServe's max_batch_delay). 0: a batch takes only"
      + " requests already waiting and none waits for a batch to fill.")
  public Integer maxBatchDelayMicros = 0;

  @JsonPropertyDescription("CPU, memory and GPUs per server pod.")
  public ModelResources resources;

  @Min(0)
  @Max(1000)
  @Default("1")
  @SpecReplicas
  @JsonPropertyDescription("Server replicas (scale subresource); ignored while autoscaling is set.")
  public Integer replicas = 1;

  @JsonPropertyDescription("Optional HorizontalPodAutoscaler on CPU utilisation.")
  public Autoscaling autoscaling;

  @JsonPropertyDescription("Where artifacts are read from; mounted read-only at /artifacts.")
  public ArtifactStorage storage;

  @JsonPropertyDescription("Pod and container overrides.")
  public PodOverrides pod;

  /** HPA settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Autoscaling {
    @Min(1)
    @Max(1000)
    @Default("1")
    @JsonPropertyDescription("Lower replica bound.")
    public Integer minReplicas = 1;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Upper replica bound.")
    public Integer maxReplicas;

    @Min(1)
    @Max(100)
    @Default("70")
    @JsonPropertyDescription("Target average CPU utilisation in percent.")
    public Integer targetCPUUtilizationPercentage = 70;
  }
}
