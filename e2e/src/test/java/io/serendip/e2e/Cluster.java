package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serendip.kube.local.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** What the control-plane suites share: CRDs, namespaces, RBAC questions, schema validation. */
final class Cluster {
  private Cluster() {}

  /** Installs (or re-applies) the CRDs from crds/; idempotent, so every suite can call it. */
  static void installCrds(LocalControlPlane cp) {
    cp.kubectl("apply", "--server-side", "--force-conflicts", "--field-manager", "serendip-e2e",
        "-f", Command.repo().resolve("crds").toString());
    cp.kubectl("wait", "--for=condition=Established", "--timeout=60s",
        "crd/explorationexperiments.serendip.io", "crd/interestclustersets.serendip.io",
        "crd/interestmodels.serendip.io", "crd/recommendermodels.serendip.io");
  }

  static String uniqueName(String prefix) {
    return (prefix + "-" + UUID.randomUUID().toString().substring(0, 6)).toLowerCase(Locale.ROOT);
  }

  /** A namespace enforcing the restricted Pod Security Standard: the API server refuses any other pod. */
  static String restrictedNamespace(LocalControlPlane cp, String prefix) {
    String ns = uniqueName(prefix);
    cp.kubectl("create", "namespace", ns);
    cp.kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted",
        "pod-security.kubernetes.io/enforce-version=latest");
    return ns;
  }

  /** kubectl auth can-i as a ServiceAccount: true for "yes". */
  /** A SubjectAccessReview: whether {@code user} may {@code verb} {@code group}'s {@code resource} in the namespace. */
  static boolean reviewAccess(io.fabric8.kubernetes.client.KubernetesClient client, String user, String verb,
      String group, String resource, String namespace) {
    var review = new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder()
        .withNewSpec().withUser(user)
        .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(resource).withNamespace(namespace)
        .endResourceAttributes().endSpec().build();
    return Boolean.TRUE.equals(client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed());
  }

  static boolean canI(LocalControlPlane cp, String serviceAccount, String verb, String resource, String namespace) {
    List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i", verb, resource, "--as", serviceAccount));
    if (namespace == null) {
      args.add("--all-namespaces");
    } else {
      args.addAll(List.of("-n", namespace));
    }
    var r = cp.kubectlWithInput("", args.toArray(String[]::new));
    String answer = r.stdout().strip();
    assertThat(answer).as("can-i %s %s: %s", verb, resource, r.stderr()).isIn("yes", "no");
    return answer.equals("yes");
  }

  static Path write(Path dir, String name, List<JsonNode> docs) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, Manifests.toYaml(docs));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs kubeconform in strict mode on a manifest file with schemas cut from this API server's
   * OpenAPI document (nothing is downloaded); kinds listed in skip are not validated.
   */
  static Command.Result kubeconform(LocalControlPlane cp, Path schemaDir, Path manifests, List<JsonNode> docs,
      String... skip) {
    Set<String> kinds = new TreeSet<>();
    docs.forEach(d -> kinds.add(d.path("apiVersion").asText() + " " + d.path("kind").asText()));
    try {
      JsonNode openApi = Manifests.JSON.readTree(cp.kubectl("get", "--raw", "/openapi/v2"));
      Files.createDirectories(schemaDir);
      for (var e : KubeconformSchemas.forKinds(openApi, kinds).entrySet()) {
        Files.writeString(schemaDir.resolve(e.getKey()), Manifests.JSON.writeValueAsString(e.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Command c = Command.tool("kubeconform", "-strict", "-summary", "-output", "text",
        "-schema-location", schemaDir.resolve(KubeconformSchemas.LOCATION_TEMPLATE).toString());
    if (skip.length > 0) {
      c.args("-skip", String.join(",", skip));
    }
    return c.args(manifests.toString()).run();
  }
}
