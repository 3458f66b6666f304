package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Serving state of a RecommenderModel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecommenderModelStatus extends ServingStatus {
  @JsonPropertyDescription("Novelty table in use, from the referenced InterestModel.")
  public String noveltyTable;

  @JsonPropertyDescription("The recommender artifact the server uses: spec.artifact.path, or the artifact of the last"
      + " training version that finished.")
  public String artifactPath;

  @JsonPropertyDescription("Training of the version spec.training asks for (absent for a model trained elsewhere).")
  public TrainingStatus training;

  @JsonPropertyDescription("Share of its experiments' final traffic the model gets while their rollouts ramp its"
      + " arms up (absent at 1): the server runs that share of spec.replicas, rounded up, at least one.")
  public String trafficShare;
}
