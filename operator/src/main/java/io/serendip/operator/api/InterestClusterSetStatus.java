package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Build state and the published artifact of an InterestClusterSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterestClusterSetStatus extends ReconcileStatus {
  @JsonPropertyDescription("Artifact version built from the observed generation, e.g. g3.")
  public String version;

  @JsonPropertyDescription("Directory of the published cluster artifact inside the artifact volume.")
  public String artifactPath;

  @JsonPropertyDescription("Digest of the artifact's manifest.json as reported by the build Job, when known.")
  public String digest;

  @JsonPropertyDescription("Number of clusters at the serving level.")
  public Integer clusters;

  @JsonPropertyDescription("Name of the build Job of the current version.")
  public String buildJob;
}
