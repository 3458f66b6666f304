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

/** Interest clusters over an item catalog: built by a Job into a versioned, digest-checked artifact. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@ShortNames("ics")
@Plural("interestclustersets")
@Categories(ApiConstants.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class InterestClusterSet extends CustomResource<InterestClusterSetSpec, InterestClusterSetStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("What clusters to build: catalog, embedding source, hierarchy levels, describer and seed.")
  public InterestClusterSetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Build state and the published cluster artifact.")
  public InterestClusterSetStatus getStatus() {
    return super.getStatus();
  }
}
