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
 * The novel-interest model. clusterSetRef and historyLength are immutable (a model is trained for one
 * cluster set and one k): create a new InterestModel for a new version. Other changes roll the pods
 * and re-run the precompute.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.artifact) != has(self.training)",
    message = "set exactly one of artifact (a model trained elsewhere) and training (trained by a Job here)")
@ValidationRule(
    value = "!has(self.training) || ((self.training.method == 'FromScratch') == (self.engine == 'PyTorch'))",
    message = "training.method FineTune needs engine Transformers, and FromScratch needs engine PyTorch",
    fieldPath = ".engine")
public class InterestModelSpec {
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiConstants.DNS_LABEL)
  @ValidationRule(value = "self == oldSelf", message = "clusterSetRef is immutable; create a new InterestModel")
  @JsonPropertyDescription("Name of the InterestClusterSet (same namespace) the model generates clusters of.")
  public String clusterSetRef;

  @Default("PyTorch")
  @JsonPropertyDescription("What runs the artifact: PyTorch (a model trained from scratch, run by DJL in the runtime"
      + " image) or Transformers (a fine-tuned LLM, run by the LLM component in the runtime-cuda image, also on CPU"
      + " nodes).")
  public InterestModelEngine engine = InterestModelEngine.PyTorch;

  @JsonPropertyDescription("A model artifact trained elsewhere (bring your own); exclusive with training.")
  public ArtifactRef artifact;

  @JsonPropertyDescription("Train the model here: a Job on the cluster set's data, versioned by its inputs; the gate"
      + " numbers go to status. A new version trains beside the one serving, which keeps serving until the new one"
      + " passes. Exclusive with artifact.")
  public InterestModelTraining training;

  @Min(1)
  @Max(4)
  @Default("2")
  @ValidationRule(value = "self == oldSelf", message = "historyLength is immutable; create a new InterestModel")
  @JsonPropertyDescription("History length k: the number of distinct recent clusters the model reads (1..4).")
  public Integer historyLength = 2;

  @Min(1)
  @Max(20)
  @Default("3")
  @JsonPropertyDescription("Novel clusters generated per history.")
  public Integer candidates = 3;

  @JsonPropertyDescription("Decoding settings; generations are constrained to valid cluster descriptions.")
  public Decoding decoding;

  @JsonPropertyDescription("CPU, memory and GPUs per server pod (also used by the precompute Job).")
  public ModelResources resources;

  @Min(0)
  @Max(1000)
  @Default("0")
  @SpecReplicas
  @JsonPropertyDescription("Online server replicas (scale subresource). Serving reads the precomputed novelty table,"
      + " so nothing in the request path calls this server: 0 by default, and the model's GPUs go to the"
      + " precompute Job only. Set 1 or more to answer /v1/novel online (e.g. for histories longer than the"
      + " table's).")
  public Integer replicas = 0;

  @JsonPropertyDescription("Novelty-table precompute: an Indexed Job over shards of all histories, then a merge Job.")
  public Precompute precompute;

  @JsonPropertyDescription("Quality gates the precomputed table must pass before it is published.")
  public Gates gates;

  @JsonPropertyDescription("Where artifacts are read and the novelty table is written; mounted at /artifacts.")
  public ArtifactStorage storage;

  @JsonPropertyDescription("Pod and container overrides.")
  public PodOverrides pod;

  /** Constrained decoding settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Decoding {
    @Min(1)
    @Max(64)
    @Default("4")
    @JsonPropertyDescription("Beam width of the constrained beam search.")
    public Integer beamWidth = 4;

    @Min(1)
    @Max(256)
    @Default("32")
    @JsonPropertyDescription("Maximum generated tokens per cluster description. Reserved: the built-in model's"
        + " constrained decoding ends at the end of a cluster description, so it never needs more.")
    public Integer maxTokens = 32;
  }

  /** Indexed-Job settings of the precompute. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.parallelism <= self.shards",
      message = "parallelism must not exceed shards",
      fieldPath = ".parallelism")
  public static class Precompute {
    @Min(1)
    @Max(1024)
    @Default("4")
    @JsonPropertyDescription("Shards (Job completions); shard i covers histories with index % shards == i.")
    public Integer shards = 4;

    @Min(1)
    @Max(256)
    @Default("2")
    @JsonPropertyDescription("Shards computed at the same time (Job parallelism).")
    public Integer parallelism = 2;

    @Min(0)
    @Max(100)
    @Default("2")
    @JsonPropertyDescription("Old novelty tables kept, besides the one asked for and the one serving (default 2);"
        + " older ones lose their precompute and merge Jobs, their Job config and their table directory.")
    public Integer revisionHistoryLimit = 2;
  }

  /** Quality gates of the paper: exact-match rate and test recall. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Gates {
    @Min(0)
    @Max(1)
    @Default("0.9")
    @JsonPropertyDescription("Minimum share of generations that exactly match a cluster description.")
    public Double minExactMatchRate = 0.9;

    @Min(0)
    @Max(1)
    @Default("0.015")
    @JsonPropertyDescription("Minimum test recall of the predicted novel clusters.")
    public Double minRecall = 0.015;
  }
}
