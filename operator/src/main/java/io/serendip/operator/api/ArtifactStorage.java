package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where artifacts live; mounted at /artifacts in every pod of the owning resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.claimName) && has(self.hostPath))",
    message = "set at most one of claimName and hostPath")
public class ArtifactStorage {
  @Pattern(ApiConstants.DNS_LABEL)
  @Size(max = 63)
  @JsonPropertyDescription("Name of a PersistentVolumeClaim in the same namespace holding the artifacts.")
  public String claimName;

  @Pattern("^/.*")
  @Size(max = 512)
  @JsonPropertyDescription("A host directory holding the artifacts (single-node and local clusters).")
  public String hostPath;

  @JsonPropertyDescription("Mount the artifact volume read-only in serving pods (jobs always write).")
  public Boolean readOnly;
}
