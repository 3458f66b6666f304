package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** helm lint, values.schema.json, and what the rendered chart promises (security, RBAC, dashboard). */
class ChartRenderTest {

  @Test
  void lintIsCleanWithDefaultsAndWithEveryOption() {
    String defaults = Command.helm("lint", "--strict", Chart.DIR).ok();
    assertThat(defaults).contains("0 chart(s) failed").doesNotContain("[WARNING]").doesNotContain("[ERROR]");
    List<String> args = new ArrayList<>(List.of("lint", "--strict", Chart.DIR, "--set", "watchNamespaces={team-a,team-b}"));
    args.addAll(Chart.ALL_FEATURES);
    String all = Command.helm().args(args).ok();
    assertThat(all).contains("0 chart(s) failed").doesNotContain("[WARNING]").doesNotContain("[ERROR]");
  }

  @Test
  void valuesSchemaRejectsBadValuesNamingTheField() {
    assertRejected(List.of("--set", "replicaCount=-1"), "replicaCount");
    assertRejected(List.of("--set", "watchNamespaces={Not_A_Namespace}"), "watchNamespaces");
    assertRejected(List.of("--set", "image.pullPolicy=Sometimes"), "pullPolicy");
    assertRejected(List.of("--set", "replicaz=2"), "replicaz");
    assertRejected(List.of("--set", "metrics.serviceMonitor.interval=often"), "interval");
  }

  private static void assertRejected(List<String> values, String field) {
    Command.Result r = Chart.template("bad", "serendip-system", values);
    assertThat(r.exitCode()).as("helm template %s", values).isNotZero();
    assertThat(r.stderr()).contains("values don't meet the specifications of the schema").contains(field);
  }

  @Test
  void everyPodIsRestricted() {
    List<JsonNode> docs = Chart.render("sec", "serendip-system", Chart.ALL_FEATURES);
    List<JsonNode> podSpecs = new ArrayList<>();
    for (JsonNode d : docs) {
      JsonNode spec = d.path("spec").path("template").path("spec");
      if (!spec.isMissingNode()) {
        podSpecs.add(spec);
      }
    }
    assertThat(podSpecs).as("operator Deployment and helm test Job").hasSize(2);
    for (JsonNode spec : podSpecs) {
      JsonNode pod = spec.path("securityContext");
      assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
      assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
      for (JsonNode c : spec.path("containers")) {
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean())
            .as("allowPrivilegeEscalation false in %s", c.path("name")).isTrue();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isNotEmpty();
      }
    }
  }

  @Test
  void operatorDeploymentHasLeaderElectionProbesAndConfigurableReplicas() {
    JsonNode deployment = Manifests.ofKind(
        Chart.render("op", "serendip-system", List.of("--set", "replicaCount=3")), "Deployment").get(0);
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(container.path("image").asText()).isEqualTo("serendip/operator:0.1.0-SNAPSHOT");
    assertThat(env(container, "SERENDIP_LEADER_ELECTION_NAMESPACE")).isEqualTo("serendip-system");
    assertThat(env(container, "SERENDIP_RUNTIME_IMAGE")).isEqualTo("serendip/runtime:0.1.0-SNAPSHOT");
    assertThat(env(container, "SERENDIP_RUNTIME_CUDA_IMAGE")).isEqualTo("serendip/runtime-cuda:0.1.0-SNAPSHOT");
    assertThat(env(container, "SERENDIP_WATCH_NAMESPACES")).isEmpty();
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
    }
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e.path("value").asText();
      }
    }
    throw new AssertionError("no env " + name);
  }

  @Test
  void rbacNamesEveryVerbAndResourceAndNeverReadsSecrets() {
    List<JsonNode> docs = new ArrayList<>(Chart.render("r", "serendip-system", List.of()));
    docs.addAll(Chart.render("r", "serendip-system", List.of("--set", "watchNamespaces={team-a}")));
    int rules = 0;
    for (JsonNode role : docs.stream().filter(d -> d.path("kind").asText().endsWith("Role")).toList()) {
      for (JsonNode rule : role.path("rules")) {
        rules++;
        for (String field : List.of("verbs", "resources", "apiGroups")) {
          rule.path(field).forEach(v -> assertThat(v.asText()).as("%s in %s", field, role.path("metadata").path("name"))
              .isNotEqualTo("*"));
        }
        rule.path("resources").forEach(r -> assertThat(r.asText()).isNotIn("nodes", "namespaces",
            "clusterroles", "clusterrolebindings", "roles", "rolebindings", "customresourcedefinitions"));
        // Secrets: created (the routers' request-id keys), never read, listed, watched or changed
        boolean secrets = false;
        for (JsonNode r : rule.path("resources")) {
          secrets |= r.asText().equals("secrets");
        }
        if (secrets) {
          assertThat(rule.path("resources")).hasSize(1);
          assertThat(rule.path("verbs")).singleElement().satisfies(v -> assertThat(v.asText()).isEqualTo("create"));
        }
      }
    }
    assertThat(rules).isGreaterThan(10);
  }

  @Test
  void watchNamespacesGivesOneRolePerNamespaceAndNoClusterRole() {
    List<JsonNode> docs = Chart.render("w", "serendip-system", List.of("--set", "watchNamespaces={team-a,team-b}"));
    assertThat(Manifests.ofKind(docs, "ClusterRole")).isEmpty();
    assertThat(Manifests.ofKind(docs, "ClusterRoleBinding")).isEmpty();
    Set<String> roleNamespaces = new TreeSet<>();
    Manifests.ofKind(docs, "RoleBinding").forEach(rb -> roleNamespaces.add(rb.path("metadata").path("namespace").asText()));
    assertThat(roleNamespaces).containsExactly("serendip-system", "team-a", "team-b"); // release namespace: the Lease
    JsonNode container = Manifests.ofKind(docs, "Deployment").get(0)
        .path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(env(container, "SERENDIP_WATCH_NAMESPACES")).isEqualTo("team-a,team-b");

    List<JsonNode> clusterWide = Chart.render("w", "serendip-system", List.of());
    assertThat(Manifests.ofKind(clusterWide, "ClusterRole")).hasSize(1);
  }

  @Test
  void optionalObjectsAppearOnlyWhenEnabled() {
    Set<String> byDefault = kinds(Chart.render("o", "serendip-system", List.of()));
    assertThat(byDefault).doesNotContain("ServiceMonitor", "PodMonitor", "NetworkPolicy", "ConfigMap");
    List<JsonNode> all = Chart.render("o", "serendip-system", Chart.ALL_FEATURES);
    assertThat(kinds(all)).contains("ServiceMonitor", "PodMonitor", "NetworkPolicy", "ConfigMap", "Job",
        "PodDisruptionBudget");
    // the workloads' monitor selects what the operator labels its router and recommender pods with
    JsonNode pods = Manifests.ofKind(all, "PodMonitor").get(0).path("spec");
    assertThat(pods.path("selector").path("matchLabels").path("app.kubernetes.io/managed-by").asText())
        .isEqualTo(io.serendip.operator.support.Labels.MANAGER);
    assertThat(pods.path("selector").path("matchExpressions").get(0).path("values").toString())
        .contains("\"" + io.serendip.operator.experiment.ExplorationExperimentReconciler.COMPONENT + "\"")
        .contains("\"" + io.serendip.operator.recommender.RecommenderModelReconciler.COMPONENT + "\"");
    assertThat(pods.path("namespaceSelector").path("any").asBoolean()).isTrue();
    assertThat(pods.path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("http");
    JsonNode monitor = Manifests.ofKind(all, "ServiceMonitor").get(0);
    JsonNode service = Manifests.ofKind(all, "Service").get(0);
    assertThat(monitor.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(service.path("spec").path("selector"));
    assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText())
        .isEqualTo(service.path("spec").path("ports").get(0).path("name").asText());
  }

  private static Set<String> kinds(List<JsonNode> docs) {
    Set<String> kinds = new TreeSet<>();
    docs.forEach(d -> kinds.add(d.path("kind").asText()));
    return kinds;
  }

  /** Every metric the dashboard queries is a meter the runtime registers (Prometheus naming). */
  @Test
  void grafanaDashboardHasThePanelsAndQueriesOnlyRealMeters() throws IOException {
    JsonNode configMap = Manifests.ofKind(
        Chart.render("g", "serendip-system", List.of("--set", "grafanaDashboard.enabled=true")), "ConfigMap").get(0);
    assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = Manifests.JSON.readTree(configMap.path("data").path("serendip.json").asText());
    List<String> titles = new ArrayList<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText().toLowerCase()));
    for (String topic : List.of("traffic", "latency", "error", "novelty", "feedback")) {
      assertThat(titles).as(topic).anyMatch(t -> t.contains(topic));
    }

    Set<String> meters = runtimeMeterNames();
    Pattern metric = Pattern.compile("\\b(serendip_[a-z_]+?)(_total|_seconds_bucket)?\\b");
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = metric.matcher(target.path("expr").asText());
        while (m.find()) {
          queried.add(m.group(1));
        }
      }
    }
    assertThat(queried).hasSizeGreaterThanOrEqualTo(9);
    for (String q : queried) {
      assertThat(meters).as("meter behind %s", q).contains(q.replace('_', '.'));
    }
  }

  private static Set<String> runtimeMeterNames() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern literal = Pattern.compile("\"(serendip\\.[a-z.]+)\"");
    try (Stream<Path> files = Files.walk(Command.repo().resolve("runtime/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = literal.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
