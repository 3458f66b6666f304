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
