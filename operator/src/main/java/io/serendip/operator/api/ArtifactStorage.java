package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where artifacts live, as KServe's storageUri names it: a PersistentVolumeClaim ({@code pvc://claim/path}, mounted
 * at /artifacts) or an S3-compatible bucket ({@code s3://bucket/path}: a storage initializer downloads what each pod
 * reads into /artifacts, and Jobs upload what they write).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.uri) && has(self.hostPath))",
    message = "set at most one of uri and hostPath")
@ValidationRule(
    value = "!has(self.s3) || (has(self.uri) && self.uri.startsWith('s3://'))",
    message = "s3 settings apply to an s3:// uri only")
public class ArtifactStorage {
  public static final String PVC_SCHEME = "pvc://";
  public static final String S3_SCHEME = "s3://";

  @Pattern("^(pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/[A-Za-z0-9._-]+)*/?$")
  @Size(max = 512)
  @ValidationRule(value = "!self.matches('/[.]{1,2}(/|$)')",
      message = "a storage path must not contain . or .. segments")
  @JsonPropertyDescription("pvc://CLAIM[/PATH] (a PersistentVolumeClaim in the same namespace; PATH is a "
      + "sub-directory of it) or s3://BUCKET[/PREFIX] (any S3-compatible store; see s3).")
  public String uri;

  @JsonPropertyDescription("Endpoint, region and credentials of an s3:// uri.")
  public S3Settings s3;

  @Pattern("^/.*")
  @Size(max = 512)
  @JsonPropertyDescription("A host directory holding the artifacts: single-node development clusters only (the "
      + "baseline and restricted Pod Security Standards forbid hostPath volumes).")
  public String hostPath;

  @JsonPropertyDescription("Mount the artifact volume read-only in serving pods (jobs always write).")
  public Boolean readOnly;

  /** Whether artifacts outlive the pods that wrote them (not an emptyDir). */
  @JsonIgnore
  public boolean persistent() {
    return uri != null || hostPath != null;
  }

  @JsonIgnore
  public boolean inObjectStore() {
    return uri != null && uri.startsWith(S3_SCHEME);
  }

  @JsonIgnore
  public boolean onClaim() {
    return uri != null && uri.startsWith(PVC_SCHEME);
  }

  /** The claim of a pvc:// uri. */
  @JsonIgnore
  public String claimName() {
    String rest = uri.substring(PVC_SCHEME.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The sub-directory of the claim a pvc:// uri names (null: the whole volume). */
  @JsonIgnore
  public String claimPath() {
    String rest = uri.substring(PVC_SCHEME.length()).replaceAll("/+$", "");
    int slash = rest.indexOf('/');
    return slash < 0 ? null : rest.substring(slash + 1);
  }

  /** How pods reach an S3-compatible store. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class S3Settings {
    @Pattern("^https?://[^\\s/]+(/.*)?$")
    @Size(max = 512)
    @JsonPropertyDescription("The store's URL, e.g. http://minio.storage.svc:9000 (unset: AWS S3 itself). Buckets "
        + "are addressed by path, as S3-compatible stores expect.")
    public String endpoint;

    @Pattern("^[a-z0-9-]+$")
    @Size(max = 64)
    @JsonPropertyDescription("Region to sign requests for (default us-east-1).")
    public String region;

    @Pattern(ApiConstants.DNS_LABEL)
    @Size(max = 253)
    @JsonPropertyDescription("A Secret in the same namespace with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
        + "(unset: the pods' own AWS credentials, e.g. from their service account).")
    public String secretName;
  }
}
