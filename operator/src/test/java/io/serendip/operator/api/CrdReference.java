package io.serendip.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Renders docs/crd-reference.md from the committed CRD YAML in crds/: per kind its names, scope,
 * printer columns and a table of every spec and status field with type, default, required,
 * OpenAPI constraints, CEL rules and description. Reused Kubernetes types (env, tolerations,
 * conditions) carry no descriptions of their own; they are summarised by their field names.
 */
final class CrdReference {
  static final String REGENERATE =
      "./mvnw -B -pl operator test -Dtest=CrdReferenceTest -Dserendip.docs.update=true";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private CrdReference() {}

  /** The Markdown page for every *.yaml CRD in the directory, kinds in alphabetical order. */
  static String render(Path crdDir) throws IOException {
    List<JsonNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(crdDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        crds.add(YAML.readTree(f.toFile()));
      }
    }
    crds.sort(Comparator.comparing(c -> c.at("/spec/names/kind").asText()));
    StringBuilder md = new StringBuilder();
    md.append("# CRD reference\n\n")
        .append("Generated from the CustomResourceDefinitions in `crds/` (which are generated from the classes in\n")
        .append("`io.serendip.operator.api`); do not edit by hand. `CrdReferenceTest` fails when this page is out of\n")
        .append("date; regenerate it with `").append(REGENERATE).append("`.\n")
        .append("`kubectl explain <kind>.spec --recursive` shows the same schema from a cluster.\n\n")
        .append("In the field tables, `[]` marks the elements of an array and `map` values are keyed by any string;\n")
        .append("*required* means required whenever the enclosing object is present. The CEL rules are\n")
        .append("`x-kubernetes-validations` checked by the API server, which answers with the message shown.\n\n")
        .append("| kind | API version | short names | scope |\n|---|---|---|---|\n");
    for (JsonNode crd : crds) {
      JsonNode names = crd.at("/spec/names");
      for (JsonNode v : crd.at("/spec/versions")) {
        md.append("| [").append(names.path("kind").asText()).append("](#").append(anchor(names.path("kind").asText()))
            .append(") | `").append(crd.at("/spec/group").asText()).append('/').append(v.path("name").asText())
            .append("` | ").append(codeList(names.path("shortNames"))).append(" | ")
            .append(crd.at("/spec/scope").asText()).append(" |\n");
      }
    }
    for (JsonNode crd : crds) {
      kind(crd, md);
    }
    return md.toString();
  }

  private static void kind(JsonNode crd, StringBuilder md) {
    JsonNode names = crd.at("/spec/names");
    String group = crd.at("/spec/group").asText();
    md.append("\n## ").append(names.path("kind").asText()).append("\n\n");
    for (JsonNode v : crd.at("/spec/versions")) {
      md.append("| | |\n|---|---|\n")
          .append("| API version | `").append(group).append('/').append(v.path("name").asText()).append("`")
          .append(v.path("storage").asBoolean() ? " (storage version)" : "").append(" |\n")
          .append("| scope | ").append(crd.at("/spec/scope").asText()).append(" |\n")
          .append("| plural / singular | `").append(names.path("plural").asText()).append("` / `")
          .append(names.path("singular").asText()).append("` |\n")
          .append("| short names | ").append(codeList(names.path("shortNames"))).append(" |\n")
          .append("| categories | ").append(codeList(names.path("categories"))).append(" |\n")
          .append("| subresources | ").append(subresources(v.path("subresources"))).append(" |\n\n");
      printerColumns(v.path("additionalPrinterColumns"), md);
      md.append("| field | type | required | default | constraints | CEL rules | description |\n")
          .append("|---|---|---|---|---|---|---|\n");
      JsonNode root = v.at("/schema/openAPIV3Schema");
      rules("(object)", root, md);
      fields(root, "", md);
    }
  }

  private static void printerColumns(JsonNode columns, StringBuilder md) {
    if (columns.isEmpty()) {
      return;
    }
    md.append("Printer columns of `kubectl get` (priority 0: always shown; higher: with `-o wide`):\n\n")
        .append("| column | type | JSONPath | priority |\n|---|---|---|---|\n");
    for (JsonNode c : columns) {
      md.append("| ").append(c.path("name").asText()).append(" | ").append(c.path("type").asText())
          .append(" | ").append(code(c.path("jsonPath").asText())).append(" | ")
          .append(c.path("priority").asInt(0)).append(" |\n");
    }
    md.append('\n');
  }

  /** Rules attached to the schema root have no field of their own; they get a row before the fields. */
  private static void rules(String label, JsonNode root, StringBuilder md) {
    if (root.has("x-kubernetes-validations")) {
      md.append("| ").append(label).append(" | object | | | | ").append(cel(root)).append(" | |\n");
    }
  }

  private static void fields(JsonNode schema, String prefix, StringBuilder md) {
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema.path("properties").fields().forEachRemaining(e -> {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode field = e.getValue();
      boolean documented = hasDescribedProperty(field);
      String description = cell(field.path("description").asText());
      if (!documented && !childNames(field).isEmpty()) {
        description += (description.isEmpty() ? "" : " ") + "Kubernetes fields: " + String.join(", ", childNames(field)) + ".";
      }
      md.append("| ").append(code(path)).append(" | ").append(type(field)).append(" | ")
          .append(required.contains(e.getKey()) ? "yes" : "").append(" | ")
          .append(field.has("default") ? code(compact(field.get("default"))) : "").append(" | ")
          .append(constraints(field)).append(" | ").append(cel(field)).append(" | ")
          .append(description).append(" |\n");
      if (documented) {
        descend(field, path, md);
      }
    });
  }

  private static void descend(JsonNode field, String path, StringBuilder md) {
    fields(field, path, md);
    JsonNode items = field.path("items");
    if (!items.isMissingNode()) {
      listItemRules(items, path + "[]", md);
      fields(items, path + "[]", md);
    }
    JsonNode values = field.path("additionalProperties");
    if (values.isObject()) {
      fields(values, path + ".<key>", md);
    }
  }

  /** CEL rules on the elements of an array (e.g. one rollout step) are listed on the element itself. */
  private static void listItemRules(JsonNode items, String path, StringBuilder md) {
    if (items.has("x-kubernetes-validations")) {
      md.append("| ").append(code(path)).append(" | ").append(type(items)).append(" | | | ")
          .append(constraints(items)).append(" | ").append(cel(items)).append(" | each element |\n");
    }
  }

  private static boolean hasDescribedProperty(JsonNode node) {
    for (JsonNode child : children(node)) {
      if (child.has("description") || hasDescribedProperty(child)) {
        return true;
      }
    }
    return false;
  }

  private static List<JsonNode> children(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    node.path("properties").forEach(out::add);
    node.path("items").path("properties").forEach(out::add);
    node.path("additionalProperties").path("properties").forEach(out::add);
    return out;
  }

  private static List<String> childNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.path("properties").fieldNames().forEachRemaining(out::add);
    node.path("items").path("properties").fieldNames().forEachRemaining(out::add);
    return out;
  }

  static String type(JsonNode s) {
    if (s.path("x-kubernetes-int-or-string").asBoolean()) {
      return "int-or-string";
    }
    String type = s.path("type").asText("any");
    return switch (type) {
      case "array" -> "[]" + type(s.path("items"));
      case "object" -> s.path("additionalProperties").isObject()
          ? "map[string]" + type(s.path("additionalProperties"))
          : s.path("x-kubernetes-preserve-unknown-fields").asBoolean() ? "object (free-form)" : "object";
      default -> s.has("format") ? type + " (" + s.path("format").asText() + ")" : type;
    };
  }

  static String constraints(JsonNode s) {
    List<String> out = new ArrayList<>();
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      s.get("enum").forEach(v -> values.add(code(v.asText())));
      out.add("one of " + String.join(", ", values));
    }
    bound(s, "minimum", s.path("exclusiveMinimum").asBoolean() ? "> " : "≥ ", out);
    bound(s, "maximum", s.path("exclusiveMaximum").asBoolean() ? "< " : "≤ ", out);
    bound(s, "minLength", "length ≥ ", out);
    bound(s, "maxLength", "length ≤ ", out);
    bound(s, "minItems", "items ≥ ", out);
    bound(s, "maxItems", "items ≤ ", out);
    bound(s, "minProperties", "entries ≥ ", out);
    bound(s, "maxProperties", "entries ≤ ", out);
    if (s.has("pattern")) {
      out.add("pattern " + code(s.get("pattern").asText()));
    }
    if (s.has("x-kubernetes-list-type")) {
      out.add("list type " + s.get("x-kubernetes-list-type").asText());
    }
    return String.join("; ", out);
  }

  private static void bound(JsonNode s, String key, String prefix, List<String> out) {
    if (s.has(key) && s.get(key).isNumber()) {
      out.add(prefix + s.get(key).decimalValue().stripTrailingZeros().toPlainString());
    }
  }

  static String cel(JsonNode s) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : s.path("x-kubernetes-validations")) {
      String on = r.has("fieldPath") ? " (reported on " + code(r.get("fieldPath").asText()) + ")" : "";
      String message = r.has("message") ? r.get("message").asText()
          : r.has("messageExpression") ? "= " + r.get("messageExpression").asText() : "";
      out.add(code(r.path("rule").asText()) + ": " + cell(message) + on);
    }
    return String.join("<br>", out);
  }

  private static String subresources(JsonNode sub) {
    List<String> out = new ArrayList<>();
    if (sub.has("status")) {
      out.add("status");
    }
    if (sub.has("scale")) {
      JsonNode scale = sub.get("scale");
      out.add("scale (" + code(scale.path("specReplicasPath").asText()) + ", "
          + code(scale.path("statusReplicasPath").asText())
          + (scale.has("labelSelectorPath") ? ", selector " + code(scale.get("labelSelectorPath").asText()) : "") + ")");
    }
    return out.isEmpty() ? "none" : String.join(", ", out);
  }

  private static String codeList(JsonNode values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(code(v.asText())));
    return out.isEmpty() ? "none" : String.join(", ", out);
  }

  private static String compact(JsonNode value) {
    try {
      return value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A code span inside a table cell: pipes escaped, long enough fences for embedded backticks. */
  static String code(String text) {
    String fence = text.contains("`") ? "``" : "`";
    String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return fence + pad + text.replace("|", "\\|") + pad + fence;
  }

  /** Plain table-cell text: one line, pipes escaped. */
  static String cell(String text) {
    return text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
  }

  /** GitHub's heading anchor for a single-word heading. */
  private static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT);
  }
}
