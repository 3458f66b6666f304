package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.support.Conditions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An experiment exposed through the cluster's gateway: without the Gateway API a condition says what is missing;
 * with the HTTPRoute CRD of the Gateway API release installed (its own schema and validation rules) the operator
 * writes a route to the router Service that the API server accepts, reports the gateway controller's answer, and
 * removes the route when the spec no longer asks for it.
 */
@WithLocalControlPlane
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayRouteTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String ns;
  static final String CRD = "httproutes.gateway.networking.k8s.io";

  static final String EXPERIMENT = """
      apiVersion: serendip.io/v1alpha1
      kind: ExplorationExperiment
      metadata:
        name: public
      spec:
        arms:
          - {name: control, control: true, weight: 80, recommenderRef: sasrec-v1, explorationShare: 0.0}
          - {name: explore, weight: 20, recommenderRef: sasrec-v1, explorationShare: 0.2}
        assignment: {salt: s1, overrideHeader: X-Serendip-Arm}
        router:
          replicas: 1
          gateway:
            parentRefs:
              - {name: edge, namespace: gateways, sectionName: https}
            hostnames: [recs.example.com]
            pathPrefix: /v1
      """;

  @BeforeAll
  static void setUp() throws Exception {
    Crds.install(client);
    ns = controlPlane.createNamespace(client, "gateway");
    InProcessOperator.running(client);
    client.resource(client.getKubernetesSerialization().unmarshal(EXPERIMENT, ExplorationExperiment.class))
        .inNamespace(ns).create();
  }

  @AfterAll
  static void removeTheCrd() {
    client.apiextensions().v1().customResourceDefinitions().withName(CRD).delete();
  }

  static ExplorationExperiment experiment() {
    return client.resources(ExplorationExperiment.class).inNamespace(ns).withName("public").get();
  }

  static GenericKubernetesResource route() {
    return client.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute").inNamespace(ns)
        .withName("public-router").get();
  }

  static void assertRouteCondition(String status, String reason, String message) {
    ExplorationExperiment xp = experiment();
    assertThat(xp.getStatus()).isNotNull();
    var c = Conditions.find(xp.getStatus().conditions, "RouteReady").orElseThrow();
    assertThat(c.getStatus()).isEqualTo(status);
    assertThat(c.getReason()).isEqualTo(reason);
    assertThat(c.getMessage()).contains(message);
  }

  @Test
  @Order(1)
  void withoutTheGatewayApiAConditionSaysWhatIsMissing() {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertRouteCondition("False", "HTTPRouteUnavailable", "gateway.networking.k8s.io/v1 HTTPRoute"));
  }

  @Test
  @Order(2)
  void withTheApiTheRouteLeadsToTheRouterServiceAndTheGatewaysAnswerIsReported() throws Exception {
    Path crd = LocalControlPlane.binDir().resolve("../crds/gateway.networking.k8s.io_httproutes.yaml");
    assertThat(crd).as("written by hack/build-control-plane.sh from the Gateway API module").exists();
    try (InputStream in = Files.newInputStream(crd)) {
      Crds.apply(client, client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
    }
    // the operator looks again every 30 s while the route is not ready
    await().atMost(Duration.ofSeconds(90)).until(() -> route() != null);
    GenericKubernetesResource route = route();
    assertThat(route.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("public"));
    Map<String, Object> spec = spec(route);
    assertThat(spec.get("hostnames")).isEqualTo(List.of("recs.example.com"));
    assertThat(client.getKubernetesSerialization().asJson(spec.get("parentRefs")))
        .contains("\"name\":\"edge\"").contains("\"namespace\":\"gateways\"").contains("\"sectionName\":\"https\"");
    List<?> rules = (List<?>) spec.get("rules");
    assertThat(rules).hasSize(2);
    String json = client.getKubernetesSerialization().asJson(rules);
    // QA override: an exact header match per arm, then the path prefix; every rule leads to the router Service
    assertThat(json).contains("\"name\":\"X-Serendip-Arm\"").contains("\"value\":\"explore\"")
        .contains("\"value\":\"control\"").contains("\"value\":\"/v1\"");
    assertThat(json.split("\"name\":\"public-router\"", -1)).hasSize(3);
    assertThat(json).contains("\"port\":8080");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertRouteCondition("False", "Pending", "waiting for the gateway controller"));

    // What a gateway controller writes once it has programmed the route.
    client.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute").inNamespace(ns)
        .withName("public-router").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), """
            {"status":{"parents":[{"parentRef":{"name":"edge","namespace":"gateways","sectionName":"https"},
              "controllerName":"example.com/gateway",
              "conditions":[
                {"type":"Accepted","status":"True","reason":"Accepted","message":"",
                 "lastTransitionTime":"2026-12-04T00:00:00Z","observedGeneration":1},
                {"type":"ResolvedRefs","status":"True","reason":"ResolvedRefs","message":"",
                 "lastTransitionTime":"2026-12-04T00:00:00Z","observedGeneration":1}]}]}}""");
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
        assertRouteCondition("True", "Accepted", "accepted by its gateways"));
  }

  @Test
  @Order(3)
  void withoutAGatewayInTheSpecTheRouteGoes() {
    client.resources(ExplorationExperiment.class).inNamespace(ns).withName("public")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"router\":{\"gateway\":null}}}");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(route()).isNull();
      assertThat(Conditions.find(experiment().getStatus().conditions, "RouteReady")).isEmpty();
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource route) {
    return (Map<String, Object>) route.getAdditionalProperties().get("spec");
  }
}
