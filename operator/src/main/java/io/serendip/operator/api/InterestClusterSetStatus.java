package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Build state and the published artifact of an InterestClusterSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterestClusterSetStatus extends ReconcileStatus {
  @JsonPropertyDescription("Artifact version: a hash of the spec fields that shape the clusters.")
  public String version;

  @JsonPropertyDescription("Directory of the last successfully built cluster artifact; kept while a new version builds.")
  public String artifactPath;

  @JsonPropertyDescription("Number of clusters at the serving level.")
  public Integer clusters;

  @JsonPropertyDescription("Name of the build Job of the current version.")
  public String buildJob;
}
