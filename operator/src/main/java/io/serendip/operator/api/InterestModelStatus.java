package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Serving and precompute state of an InterestModel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterestModelStatus extends ServingStatus {
  @JsonPropertyDescription("Path of the merged novelty table once the precompute has finished.")
  public String noveltyTable;

  @JsonPropertyDescription("Completed precompute shards.")
  public Integer precomputedShards;

  @JsonPropertyDescription("Gate results reported by the merge Job, when known.")
  public GateResults gates;

  /** Measured gate values. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GateResults {
    @JsonPropertyDescription("Measured exact-match rate.")
    public Double exactMatchRate;

    @JsonPropertyDescription("Measured test recall.")
    public Double recall;

    @JsonPropertyDescription("Whether both gates passed.")
    public Boolean passed;
  }
}
