package io.serendip.operator.experiment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec;
import io.serendip.operator.api.ExplorationExperimentSpec.Gateway;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment's Gateway API {@code HTTPRoute} (gateway.networking.k8s.io/v1) to its router Service, written when
 * {@code spec.router.gateway} names parent Gateways: the experiment is then reachable through the cluster's gateway
 * like any other service. One rule takes the path prefix; one more matches the QA override header with each arm's
 * name, so override requests are routed to the router explicitly (more specific than any path-only route on the same
 * host). Applied with server-side apply on every reconcile; its acceptance by the gateway's controller is the
 * {@code RouteReady} condition. The CRD may be absent: then a condition says so and the Service keeps serving.
 */
final class RouterHttpRoute {
  static final String CONDITION = "RouteReady";
  static final String API_VERSION = "gateway.networking.k8s.io/v1";
  static final String KIND = "HTTPRoute";
  /** Spelled out, so that no call needs the API's discovery (which fails while the CRD is not installed). */
  private static final ResourceDefinitionContext RESOURCE = new ResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind(KIND).withPlural("httproutes")
      .withNamespaced(true).build();

  private RouterHttpRoute() {}

  /**
   * Writes, updates or removes the route and sets {@link #CONDITION} (left out when no route is asked for).
   *
   * @param hadRoute whether the previous status had the condition: a route may exist that must go
   */
  static void reconcile(KubernetesClient client, ExplorationExperiment xp, Conditions conditions, boolean hadRoute) {
    Gateway gateway = xp.getSpec().router == null ? null : xp.getSpec().router.gateway;
    String namespace = xp.getMetadata().getNamespace();
    if (gateway == null) {
      if (hadRoute) {
        try {
          client.genericKubernetesResources(RESOURCE).inNamespace(namespace)
              .withName(ExplorationExperimentReconciler.routerName(xp)).delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      return;
    }
    GenericKubernetesResource route = build(xp, gateway);
    route.addOwnerReference(xp);
    GenericKubernetesResource applied;
    try {
      applied = client.genericKubernetesResources(RESOURCE).inNamespace(namespace).resource(route)
          .fieldManager("serendip-operator").forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        conditions.set(CONDITION, false, "HTTPRouteUnavailable", "spec.router.gateway asks for an HTTPRoute, but the"
            + " cluster does not serve " + API_VERSION + " " + KIND + ": install the Gateway API CRDs (standard"
            + " channel) and a gateway controller; the router Service serves meanwhile");
        return;
      }
      if (e.getCode() == 422 || e.getCode() == 400) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage();
        conditions.set(CONDITION, false, "InvalidRoute", message);
        return;
      }
      throw e;
    }
    String refused = refusal(applied);
    if (refused != null) {
      conditions.set(CONDITION, false, "NotAccepted", refused);
    } else if (acceptedByEveryParent(applied, gateway.parentRefs.size())) {
      conditions.set(CONDITION, true, "Accepted", "HTTPRoute " + route.getMetadata().getName()
          + " accepted by its gateways");
    } else {
      conditions.set(CONDITION, false, "Pending", "HTTPRoute " + route.getMetadata().getName()
          + " written; waiting for the gateway controller to accept it");
    }
  }

  /** The HTTPRoute the spec asks for (without owner). */
  static GenericKubernetesResource build(ExplorationExperiment xp, Gateway gateway) {
    String router = ExplorationExperimentReconciler.routerName(xp);
    String prefix = gateway.pathPrefix == null ? "/" : gateway.pathPrefix;
    List<Map<String, Object>> parentRefs = new ArrayList<>();
    for (ExplorationExperimentSpec.ParentRef p : gateway.parentRefs) {
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("group", "gateway.networking.k8s.io");
      ref.put("kind", "Gateway");
      ref.put("name", p.name);
      if (p.namespace != null) {
        ref.put("namespace", p.namespace);
      }
      if (p.sectionName != null) {
        ref.put("sectionName", p.sectionName);
      }
      parentRefs.add(ref);
    }
    List<Map<String, Object>> backendRefs = List.of(Map.of("name", router, "port", PodTemplates.HTTP_PORT));
    List<Map<String, Object>> rules = new ArrayList<>();
    ExplorationExperimentSpec.Assignment assignment = xp.getSpec().assignment;
    String override = assignment == null ? null : assignment.overrideHeader;
    if (override != null) {
      List<Map<String, Object>> matches = new ArrayList<>();
      for (ExplorationExperimentSpec.Arm arm : xp.getSpec().arms) {
        matches.add(Map.of("path", pathPrefix(prefix),
            "headers", List.of(Map.of("type", "Exact", "name", override, "value", arm.name))));
      }
      rules.add(Map.of("matches", matches, "backendRefs", backendRefs));
    }
    rules.add(Map.of("matches", List.of(Map.of("path", pathPrefix(prefix))), "backendRefs", backendRefs));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", parentRefs);
    if (gateway.hostnames != null && !gateway.hostnames.isEmpty()) {
      spec.put("hostnames", gateway.hostnames);
    }
    spec.put("rules", rules);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(KIND)
        .withMetadata(Workloads.meta(xp, router, ExplorationExperimentReconciler.COMPONENT))
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  private static Map<String, Object> pathPrefix(String prefix) {
    return Map.of("type", "PathPrefix", "value", prefix);
  }

  /** Every listed parent reports Accepted=True and ResolvedRefs=True. */
  private static boolean acceptedByEveryParent(GenericKubernetesResource route, int parents) {
    List<Map<?, ?>> statuses = parentStatuses(route);
    return statuses.size() >= parents && statuses.stream().allMatch(p ->
        conditionIs(p, "Accepted", "True") && conditionIs(p, "ResolvedRefs", "True"));
  }

  /** The first parent's reason for refusing the route, or null. */
  private static String refusal(GenericKubernetesResource route) {
    for (Map<?, ?> parent : parentStatuses(route)) {
      for (String type : List.of("Accepted", "ResolvedRefs")) {
        Map<?, ?> c = condition(parent, type);
        if (c != null && "False".equals(c.get("status"))) {
          Object ref = parent.get("parentRef") instanceof Map<?, ?> m ? m.get("name") : "?";
          return "gateway " + ref + ": " + type + "=False " + c.get("reason") + ": " + c.get("message");
        }
      }
    }
    return null;
  }

  private static List<Map<?, ?>> parentStatuses(GenericKubernetesResource route) {
    Object status = route.getAdditionalProperties().get("status");
    Object parents = status instanceof Map<?, ?> map ? map.get("parents") : null;
    List<Map<?, ?>> out = new ArrayList<>();
    if (parents instanceof List<?> list) {
      for (Object p : list) {
        if (p instanceof Map<?, ?> m) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static boolean conditionIs(Map<?, ?> parent, String type, String status) {
    Map<?, ?> c = condition(parent, type);
    return c != null && status.equals(c.get("status"));
  }

  private static Map<?, ?> condition(Map<?, ?> parent, String type) {
    if (parent.get("conditions") instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
          return m;
        }
      }
    }
    return null;
  }
}
