package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Serving and precompute state of an InterestModel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterestModelStatus extends ServingStatus {
  @JsonPropertyDescription("Path of the last merged novelty table that passed the gates; kept while a new one is computed.")
  public String noveltyTable;

  @JsonPropertyDescription("Novelty-table version: a hash of the inputs of the precompute.")
  public String tableVersion;

  @JsonPropertyDescription("Completed precompute shards of the current version.")
  public Integer precomputedShards;

  @JsonPropertyDescription("The model artifact the precompute and the server use: spec.artifact.path, or the artifact of"
      + " the last training version that passed its gates.")
  public String artifactPath;

  @JsonPropertyDescription("Training of the version spec.training asks for (absent for a model trained elsewhere).")
  public TrainingStatus training;
}
