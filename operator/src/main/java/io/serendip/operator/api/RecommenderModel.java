package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A version of the sequence recommender, served by a Deployment + Service (+ PDB, optional HPA). */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@ShortNames("rm")
@Plural("recommendermodels")
@Categories(ApiConstants.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "GPUs",
    jsonPath = ".spec.resources.gpus",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RecommenderModel extends CustomResource<RecommenderModelSpec, RecommenderModelStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("The sequence-recommender version: engine, artifact, cluster set, novelty source, GPUs, replicas and autoscaling.")
  public RecommenderModelSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Serving state of the recommender servers.")
  public RecommenderModelStatus getStatus() {
    return super.getStatus();
  }
}
