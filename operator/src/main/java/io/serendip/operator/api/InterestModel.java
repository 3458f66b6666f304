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

/**
 * A version of the novel-interest LLM: served online by a Deployment, and precomputed into a novelty
 * table (every k-cluster history to its next novel clusters) by an Indexed Job plus a merge Job.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@ShortNames("im")
@Plural("interestmodels")
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
    name = "Training",
    jsonPath = ".status.training.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ExactMatch",
    jsonPath = ".status.training.gates.exactMatchRate",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Recall",
    jsonPath = ".status.training.gates.recall",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "BaselineRecall",
    jsonPath = ".status.training.gates.baselineRecall",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class InterestModel extends CustomResource<InterestModelSpec, InterestModelStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("The novel-interest model version: engine, artifact, cluster set, history length, decoding, GPUs, replicas and precompute.")
  public InterestModelSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Serving state, precompute progress and the published novelty table.")
  public InterestModelStatus getStatus() {
    return super.getStatus();
  }
}
