package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A versioned model artifact: a directory holding manifest.json, optionally pinned by digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArtifactRef {
  @Required
  @Size(min = 1, max = 512)
  @Pattern("^/.*")
  @JsonPropertyDescription(
      "Absolute path of the artifact directory (containing manifest.json) inside the artifact volume"
          + " mounted at /artifacts.")
  public String path;

  @Pattern(ApiConstants.SHA256_DIGEST)
  @JsonPropertyDescription(
      "Expected sha256 digest of manifest.json (sha256:<64 hex>); the runtime refuses an artifact"
          + " whose digest differs.")
  public String digest;
}
