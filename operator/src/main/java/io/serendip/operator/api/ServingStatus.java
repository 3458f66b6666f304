package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Status shared by the kinds that run a Deployment of model servers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServingStatus extends ReconcileStatus {
  @StatusReplicas
  @JsonPropertyDescription("Pods of the server Deployment (scale subresource).")
  public Integer replicas;

  @JsonPropertyDescription("Ready pods of the server Deployment.")
  public Integer readyReplicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the server pods (scale subresource, used by HPA).")
  public String selector;

  @JsonPropertyDescription("In-cluster URL of the server's Service.")
  public String url;

  @JsonPropertyDescription("Cluster artifact directory in use, from the referenced InterestClusterSet.")
  public String clustersPath;
}
