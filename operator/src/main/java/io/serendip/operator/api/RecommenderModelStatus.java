package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Serving state of a RecommenderModel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecommenderModelStatus extends ServingStatus {
  @JsonPropertyDescription("Novelty table in use, from the referenced InterestModel.")
  public String noveltyTable;
}
