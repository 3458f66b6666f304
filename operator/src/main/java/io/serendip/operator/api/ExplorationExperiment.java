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
 * An A/B experiment between recommender arms, served by a router Deployment that assigns users to arms
 * by a salted hash of their key, with a stepwise rollout guarded by metrics compared with control.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@ShortNames("xp")
@Plural("explorationexperiments")
@Categories(ApiConstants.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Step",
    jsonPath = ".status.currentStep",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Weights",
    jsonPath = ".status.weights",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ExplorationExperiment
    extends CustomResource<ExplorationExperimentSpec, ExplorationExperimentStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription("Arms, user assignment, rollout steps, guardrails, manual actions and the router.")
  public ExplorationExperimentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Rollout state, effective weights, per-arm readiness and the latest metrics.")
  public ExplorationExperimentStatus getStatus() {
    return super.getStatus();
  }
}
