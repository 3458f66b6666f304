package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the operator trains the novel-interest model in the cluster: a Job on the cluster set's data whose artifact is
 * versioned by a hash of its inputs (cluster-set version, these settings, the base model).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.method == 'FromScratch' || (!has(self.hidden) && !has(self.layers))",
    message = "hidden and layers apply to method FromScratch only")
@ValidationRule(
    value = "self.method == 'FineTune' || (!has(self.baseModel) && !has(self.baseModelSha256) && !has(self.adapter)"
        + " && !has(self.maxExamples))",
    message = "baseModel, baseModelSha256, adapter and maxExamples apply to method FineTune only")
@ValidationRule(
    value = "self.method == 'FineTune' || !has(self.workers) || self.workers == 1",
    message = "several workers train method FineTune only",
    fieldPath = ".workers")
public class InterestModelTraining {
  /** How the model is made. */
  public enum Method {
    FineTune,
    FromScratch
  }

  @Default("FineTune")
  @JsonPropertyDescription("FineTune: a pretrained LLM with a LoRA adapter (engine Transformers). FromScratch: a small"
      + " transformer over the description words (engine PyTorch).")
  public Method method = Method.FineTune;

  @Size(max = 512)
  @Pattern("^(/.+|[A-Za-z0-9][-A-Za-z0-9._]*)$")
  @JsonPropertyDescription("FineTune: the base model, a name in the runtime-cuda image's model cache (default"
      + " SmolLM2-135M-Instruct) or an absolute path in the artifact volume (a GGUF file or a Hugging Face-format"
      + " directory).")
  public String baseModel;

  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription("FineTune: the sha256 the base model's file must have; the Job refuses another. Part of the"
      + " version, so a new base is a new version.")
  public String baseModelSha256;

  @JsonPropertyDescription("FineTune: the LoRA adapter.")
  public Adapter adapter;

  @Min(1)
  @Max(10000000)
  @JsonPropertyDescription("FineTune: most curated examples fine-tuned on, a seeded sample (default 800).")
  public Integer maxExamples;

  @Min(8)
  @Max(4096)
  @JsonPropertyDescription("FromScratch: hidden size (default 64).")
  public Integer hidden;

  @Min(1)
  @Max(48)
  @JsonPropertyDescription("FromScratch: transformer blocks (default 2).")
  public Integer layers;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Maximum epochs (default 1 for FineTune, 20 for FromScratch, with early stopping).")
  public Integer epochs;

  @Min(1)
  @Max(65536)
  @JsonPropertyDescription("Batch size (default 8 for FineTune, 128 for FromScratch).")
  public Integer batchSize;

  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Learning rate (default 0.003 for FineTune, 0.002 for FromScratch).")
  public Double learningRate;

  @Default("42")
  @JsonPropertyDescription("Random seed of sampling, initialisation and the held-out split of the gates.")
  public Long seed = 42L;

  @Min(10)
  @Max(1000000)
  @JsonPropertyDescription("Most held-out cases the gates decode (default 2000): fewer is faster, with wider"
      + " uncertainty on the gate numbers.")
  public Integer maxGateCases;

  @Min(0)
  @Max(100)
  @Default("2")
  @JsonPropertyDescription("Old training versions kept, besides the one asked for and the one serving (default 2);"
      + " older ones lose their Job, their Job config and their artifact directory.")
  public Integer revisionHistoryLimit = 2;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("FineTune: training pods (default 1). Above 1 the training is a Kubeflow PyTorchJob (one"
      + " Master and workers - 1 Worker pods, each with the resources below, DistributedDataParallel over the"
      + " batch), which needs the Kubeflow Training Operator installed.")
  public Integer workers;

  @JsonPropertyDescription("CPU, memory and GPUs of the training Job's pod (of each pod with several workers).")
  public ModelResources resources;

  /** LoRA settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Adapter {
    @Min(1)
    @Max(256)
    @Default("8")
    @JsonPropertyDescription("LoRA rank.")
    public Integer rank = 8;
  }
}
