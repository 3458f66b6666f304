package io.serendip.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/crd-reference.md must be what {@link CrdReference} renders from the committed crds/ (which
 * {@link CrdDriftTest} keeps equal to the API classes). Regenerate with {@link CrdReference#REGENERATE}.
 */
class CrdReferenceTest {
  private static final Path REPO = Path.of(System.getProperty("serendip.repo.dir", ".."));
  private static final Path CRDS = REPO.resolve("crds");
  private static final Path PAGE = REPO.resolve("docs/crd-reference.md");

  @Test
  void committedPageMatchesTheCrds() throws IOException {
    String expected = CrdReference.render(CRDS);
    if (Boolean.getBoolean("serendip.docs.update")) {
      Files.writeString(PAGE, expected);
    }
    assertThat(PAGE).as("%s is missing; generate it with %s", PAGE, CrdReference.REGENERATE).exists();
    assertThat(Files.readString(PAGE).equals(expected))
        .as("%s is out of date with crds/; regenerate with %s", PAGE, CrdReference.REGENERATE)
        .isTrue();
  }

  /** Walks the CRDs on its own and finds every description, enum value and CEL rule on the page. */
  @Test
  void pageHoldsEveryDescriptionEnumValueAndCelRule() throws IOException {
    String page = CrdReference.render(CRDS);
    List<String> missing = new ArrayList<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        JsonNode crd = yaml.readTree(f.toFile());
        for (String expected : List.of("## " + crd.at("/spec/names/kind").asText(),
            "`" + crd.at("/spec/names/plural").asText() + "`")) {
          if (!page.contains(expected)) {
            missing.add(expected);
          }
        }
        collect(crd.at("/spec/versions/0/schema/openAPIV3Schema"), page, missing);
      }
    }
    assertThat(missing).as("schema content missing from the page").isEmpty();
  }

  private static void collect(JsonNode node, String page, List<String> missing) {
    if (node.isMissingNode()) {
      return;
    }
    if (node.has("description") && !page.contains(CrdReference.cell(node.get("description").asText()))) {
      missing.add(node.get("description").asText());
    }
    for (JsonNode v : node.path("enum")) {
      if (!page.contains(CrdReference.code(v.asText()))) {
        missing.add("enum " + v.asText());
      }
    }
    for (JsonNode r : node.path("x-kubernetes-validations")) {
      String row = CrdReference.code(r.path("rule").asText()) + ": " + CrdReference.cell(r.path("message").asText());
      if (!page.contains(row)) {
        missing.add(row);
      }
    }
    node.path("properties").forEach(p -> collect(p, page, missing));
    collect(node.path("items"), page, missing);
  }

  @Test
  void pipesInRulesAreEscapedForTables() {
    assertThat(CrdReference.code("a || b")).isEqualTo("`a \\|\\| b`");
    assertThat(CrdReference.cell("one\ntwo | three")).isEqualTo("one two \\| three");
  }

  @Test
  void typesReadLikeKubectlExplain() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    assertThat(CrdReference.type(yaml.readTree("{type: array, items: {type: integer}}"))).isEqualTo("[]integer");
    assertThat(CrdReference.type(yaml.readTree("{type: object, additionalProperties: {type: string}}")))
        .isEqualTo("map[string]string");
    assertThat(CrdReference.type(yaml.readTree("{anyOf: [{type: integer}, {type: string}], x-kubernetes-int-or-string: true}")))
        .isEqualTo("int-or-string");
    assertThat(CrdReference.constraints(yaml.readTree("{type: integer, minimum: 1.0, maximum: 20.0}")))
        .isEqualTo("≥ 1; ≤ 20");
  }
}
