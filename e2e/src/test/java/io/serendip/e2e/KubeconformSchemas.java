package io.serendip.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Standalone JSON schemas for kubeconform, cut from an API server's OpenAPI v2 document (kubeconform
 * cannot download its schemas here). Each kind's schema carries the definitions it reaches; objects
 * with declared properties reject unknown ones (strict), and int-or-string and quantity accept both
 * forms, as the API server does.
 */
final class KubeconformSchemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String REF_PREFIX = "#/definitions/";
  static final String LOCATION_TEMPLATE = "{{ .ResourceKind }}{{ .KindSuffix }}.json";

  private KubeconformSchemas() {}

  /** kubeconform's file name for a kind: kind-group-version.json, the group cut at its first dot. */
  static String fileName(String apiVersion, String kind) {
    String[] gv = apiVersion.split("/");
    String suffix = "-" + gv[0].split("\\.")[0].toLowerCase();
    if (gv.length > 1) {
      suffix += "-" + gv[1].toLowerCase();
    }
    return kind.toLowerCase() + suffix + ".json";
  }

  /** Schemas keyed by file name for the requested "apiVersion kind" pairs found in the document. */
  static Map<String, ObjectNode> forKinds(JsonNode openApiV2, Set<String> apiVersionKinds) {
    JsonNode definitions = openApiV2.path("definitions");
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> def = it.next();
      for (JsonNode gvk : def.getValue().path("x-kubernetes-group-version-kind")) {
        String group = gvk.path("group").asText();
        String apiVersion = (group.isEmpty() ? "" : group + "/") + gvk.path("version").asText();
        String kind = gvk.path("kind").asText();
        if (apiVersionKinds.contains(apiVersion + " " + kind)) {
          out.put(fileName(apiVersion, kind), standalone(definitions, def.getKey()));
        }
      }
    }
    return out;
  }

  static ObjectNode standalone(JsonNode definitions, String root) {
    ObjectNode schema = strict(definitions.path(root).deepCopy());
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    ObjectNode reached = schema.putObject("definitions");
    Deque<String> pending = new ArrayDeque<>(refs(definitions.path(root)));
    Set<String> seen = new TreeSet<>();
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (!seen.add(name)) {
        continue;
      }
      JsonNode def = definitions.path(name);
      reached.set(name, lenient(name).orElseGet(() -> strict(def.deepCopy())));
      pending.addAll(refs(def));
    }
    return schema;
  }

  /** The two string-typed wrappers the API server also accepts as numbers. */
  private static java.util.Optional<ObjectNode> lenient(String name) {
    if (name.equals("io.k8s.apimachinery.pkg.util.intstr.IntOrString")) {
      return java.util.Optional.of(oneOf("string", "integer"));
    }
    if (name.equals("io.k8s.apimachinery.pkg.api.resource.Quantity")) {
      return java.util.Optional.of(oneOf("string", "number"));
    }
    return java.util.Optional.empty();
  }

  private static ObjectNode oneOf(String a, String b) {
    ObjectNode n = F.objectNode();
    ArrayNode alternatives = n.putArray("oneOf");
    alternatives.addObject().put("type", a);
    alternatives.addObject().put("type", b);
    return n;
  }

  private static Set<String> refs(JsonNode node) {
    Set<String> found = new TreeSet<>();
    collectRefs(node, found);
    return found;
  }

  private static void collectRefs(JsonNode node, Set<String> found) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.asText().startsWith(REF_PREFIX)) {
        found.add(ref.asText().substring(REF_PREFIX.length()));
      }
    }
    node.forEach(child -> collectRefs(child, found));
  }

  /** Unknown fields are errors wherever properties are declared and unknown fields are not preserved. */
  private static ObjectNode strict(ObjectNode node) {
    markStrict(node);
    return node;
  }

  private static void markStrict(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("properties") && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        o.put("additionalProperties", false);
      }
      o.properties().forEach(e -> {
        if (!e.getKey().equals("properties")) {
          markStrict(e.getValue());
        } else {
          e.getValue().forEach(KubeconformSchemas::markStrict);
        }
      });
    } else if (node.isArray()) {
      node.forEach(KubeconformSchemas::markStrict);
    }
  }
}
