package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example applied to the real API server with the CRDs installed (so OpenAPI and CEL validation
 * run), and validated by kubeconform with the server's schemas. Argo CD and Flux objects need those
 * projects' CRDs, which this control plane does not have: their references are checked instead.
 */
@WithLocalControlPlane
class ExamplesTest {
  static LocalControlPlane controlPlane;
  static KubernetesClient client;
  static final Path EXAMPLES = Command.repo().resolve("examples");

  @BeforeAll
  static void crds() {
    Cluster.installCrds(controlPlane);
  }

  private static List<JsonNode> docsOf(Path dir) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        docs.addAll(Manifests.parse(f));
      }
    }
    return docs;
  }

  /** hostPath volumes are refused by the baseline and restricted Pod Security Standards: no example uses one. */
  @Test
  void noExampleKeepsItsArtifactsInAHostPath() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.startsWith(EXAMPLES.resolve("invalid"))).toList();
      assertThat(yaml).hasSizeGreaterThan(10);
      for (Path f : yaml) {
        for (JsonNode doc : Manifests.parse(f)) {
          assertThat(doc.at("/spec/storage/hostPath").isMissingNode()).as("%s", f).isTrue();
          assertThat(doc.toString()).as("%s", f).doesNotContain("\"hostPath\"");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"quickstart", "gpu", "progressive-rollout"})
  void appliesToTheApiServer(String example) throws IOException {
    String ns = controlPlane.createNamespace(client, example);
    String out = controlPlane.kubectl("apply", "--server-side", "--field-manager", "serendip-e2e", "-n", ns,
        "-f", EXAMPLES.resolve(example).toString());
    List<JsonNode> docs = docsOf(EXAMPLES.resolve(example));
    assertThat(out.lines().count()).isEqualTo(docs.size());
    for (JsonNode d : docs) {
      if (d.path("apiVersion").asText().startsWith("serendip.io/")) {
        String stored = controlPlane.kubectl("get", d.path("kind").asText() + ".serendip.io",
            d.path("metadata").path("name").asText(), "-n", ns, "-o", "jsonpath={.metadata.uid}");
        assertThat(stored).isNotBlank();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"quickstart", "gpu", "progressive-rollout"})
  void passesKubeconformWithTheServersSchemas(String example, @TempDir Path dir) throws IOException {
    List<JsonNode> docs = docsOf(EXAMPLES.resolve(example));
    Path file = Cluster.write(dir, example + ".yaml", docs);
    Command.Result r = Cluster.kubeconform(controlPlane, dir.resolve("schemas"), file, docs);
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout()).contains("Valid: " + docs.size() + ", Invalid: 0, Errors: 0");
  }

  @Test
  void gpuExampleKeepsItsPlacementSettings() {
    String ns = controlPlane.createNamespace(client, "gpu");
    controlPlane.kubectl("apply", "--server-side", "--field-manager", "serendip-e2e", "-n", ns,
        "-f", EXAMPLES.resolve("gpu").toString());
    assertThat(controlPlane.kubectl("get", "interestmodel", "novelty-a100", "-n", ns, "-o",
        "jsonpath={.spec.resources.gpus} {.spec.resources.gpuProduct} {.spec.resources.runtimeClassName}"))
        .isEqualTo("2 NVIDIA-A100-SXM4-40GB nvidia");
    // The product the example asks for is one the local GPU nodes advertise.
    assertThat(controlPlane.kubectl("get", "nodes", "-l", "nvidia.com/gpu.product=NVIDIA-A100-SXM4-40GB", "-o", "name"))
        .isNotBlank();
    assertThat(controlPlane.kubectl("get", "runtimeclass", "nvidia", "-o", "jsonpath={.handler}")).isEqualTo("nvidia");
  }

  /** The kustomization turns the health scripts into argocd-cm keys, merged into an existing argocd-cm. */
  @Test
  void argoCdHealthConfigMapCarriesEveryScript(@TempDir Path dir) throws IOException {
    Path argo = EXAMPLES.resolve("gitops/argocd");
    String kustomized = controlPlane.kubectl("kustomize", argo.toString());
    List<JsonNode> rendered = Manifests.parse(kustomized);
    assertThat(rendered).hasSize(1);
    JsonNode cm = rendered.get(0);
    assertThat(cm.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    for (String kind : ArgoHealthScriptTest.KINDS) {
      assertThat(cm.path("data").path("resource.customizations.health.serendip.io_" + kind).asText())
          .isEqualTo(Files.readString(argo.resolve("resource_customizations/serendip.io/" + kind + "/health.lua")));
    }
    if (client.namespaces().withName("argocd").get() == null) {
      controlPlane.kubectl("create", "namespace", "argocd");
    }
    controlPlane.kubectlWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\n"
        + "data: {url: https://argocd.example.com}\n", "apply", "-f", "-").requireSuccess();
    Path patch = dir.resolve("serendip-health.yaml");
    Files.writeString(patch, kustomized);
    controlPlane.kubectl("patch", "configmap", "argocd-cm", "-n", "argocd", "--type", "merge",
        "--patch-file", patch.toString());
    String keys = controlPlane.kubectl("get", "configmap", "argocd-cm", "-n", "argocd", "-o", "jsonpath={.data}");
    assertThat(keys).contains("\"url\":\"https://argocd.example.com\"")
        .contains("resource.customizations.health.serendip.io_ExplorationExperiment");
  }

  @Test
  void argoCdApplicationsPointAtThisRepository() {
    List<JsonNode> apps = Manifests.parse(EXAMPLES.resolve("gitops/argocd/application.yaml"));
    assertThat(apps).hasSize(2).allSatisfy(a -> {
      assertThat(a.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
      assertThat(a.path("kind").asText()).isEqualTo("Application");
      assertThat(Command.repo().resolve(a.path("spec").path("source").path("path").asText())).isDirectory();
    });
    // The fields the kubectl plugin edits are the ones ignored by self-heal, and they exist in the CRD.
    String crd = controlPlane.kubectl("get", "crd", "explorationexperiments.serendip.io", "-o",
        "jsonpath={.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties}");
    for (JsonNode pointer : apps.get(1).path("spec").path("ignoreDifferences").get(0).path("jsonPointers")) {
      String field = pointer.asText().substring("/spec/".length());
      assertThat(crd).contains("\"" + field + "\":");
    }
  }

  @Test
  void fluxHealthChecksCoverEveryObjectOfTheQuickstart() throws IOException {
    List<JsonNode> flux = Manifests.parse(EXAMPLES.resolve("gitops/flux/serendip.yaml"));
    JsonNode kustomization = Manifests.ofKind(flux, "Kustomization").get(0);
    assertThat(Command.repo().resolve(kustomization.path("spec").path("path").asText())).isDirectory();
    JsonNode release = Manifests.ofKind(flux, "HelmRelease").get(0);
    assertThat(Command.repo().resolve(release.path("spec").path("chart").path("spec").path("chart").asText())
        .resolve("Chart.yaml")).isRegularFile();

    Set<String> quickstart = new TreeSet<>();
    docsOf(EXAMPLES.resolve("quickstart")).forEach(d ->
        quickstart.add(d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()));
    Set<String> checked = new TreeSet<>();
    for (JsonNode check : kustomization.path("spec").path("healthChecks")) {
      // the four kinds and the artifact volume's claim (healthy once bound), not the operator's Deployment
      if (check.path("namespace").asText().equals(kustomization.path("spec").path("targetNamespace").asText())) {
        checked.add(check.path("kind").asText() + "/" + check.path("name").asText());
      }
    }
    assertThat(checked).isEqualTo(quickstart);
    // Flux's health checks rely on kstatus: the CRDs must have the status subresource the operator writes.
    for (String kind : ArgoHealthScriptTest.KINDS) {
      String plural = kind.toLowerCase() + "s.serendip.io";
      assertThat(controlPlane.kubectl("get", "crd", plural, "-o", "jsonpath={.spec.versions[0].subresources.status}"))
          .as(kind).isEqualTo("{}");
    }
  }
}
