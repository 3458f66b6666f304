package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The training of the model version the spec asks for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingStatus {
  @JsonPropertyDescription("Version: a hash of the training inputs (cluster-set version, training settings, base model).")
  public String version;

  @JsonPropertyDescription("The training Job of this version.")
  public String job;

  @JsonPropertyDescription("Where this version's artifact is written.")
  public String artifactPath;

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  public String state;

  @JsonPropertyDescription("While running: the current epoch (1-based).")
  public Integer epoch;

  @JsonPropertyDescription("While running: the maximum epochs (early stopping may end sooner).")
  public Integer epochs;

  @JsonPropertyDescription("While running: share of the planned training done, in percent.")
  public Integer percent;

  @JsonPropertyDescription("While running: training loss of the current epoch so far.")
  public Double loss;

  @JsonPropertyDescription("While running: the last validation figure the trainer printed, if any.")
  public Double validation;

  @JsonPropertyDescription("While running: estimated seconds left at the pace so far (at most: early stopping may end"
      + " sooner), from the training pod's start.")
  public Long secondsLeft;

  @JsonPropertyDescription("The quality-gate numbers the training Job measured on held-out users, passed or not.")
  public GateNumbers gates;

  /** The paper's gates and the baseline beside them, on the same held-out cases. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GateNumbers {
    @JsonPropertyDescription("Whether every gate passed.")
    public Boolean passed;

    @JsonPropertyDescription("Held-out cases decoded.")
    public Integer cases;

    @JsonPropertyDescription("Share of unconstrained generations that exactly match a cluster description.")
    public Double exactMatchRate;

    @JsonPropertyDescription("Share of constrained results that are valid novel clusters.")
    public Double validRate;

    @JsonPropertyDescription("Test recall: the top novel cluster appears in the user's later history.")
    public Double recall;

    @JsonPropertyDescription("The transition-frequency baseline's recall on the same cases.")
    public Double baselineRecall;
  }
}
