package io.serendip.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every field of our own API has a description, so {@code kubectl explain} documents it. */
class CrdDescriptionsTest {
  /** Standard Kubernetes types reused in the API; they are documented upstream. */
  private static final Set<String> STANDARD_TYPES = Set.of("conditions", "tolerations", "env");

  @Test
  void everyFieldOfTheApiHasADescription() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<String> missing = new ArrayList<>();
    for (Path crd : CrdDriftTest.generatedCrds()) {
      JsonNode schema = yaml.readTree(crd.toFile()).at("/spec/versions/0/schema/openAPIV3Schema");
      collectMissing(schema, crd.getFileName().toString(), missing);
    }
    assertThat(missing).as("fields without description").isEmpty();
  }

  private static void collectMissing(JsonNode node, String path, List<String> missing) {
    node.path("properties").fields().forEachRemaining(e -> {
      if (STANDARD_TYPES.contains(e.getKey())) {
        return;
      }
      String p = path + "." + e.getKey();
      if (!e.getValue().has("description")) {
        missing.add(p);
      }
      collectMissing(e.getValue(), p, missing);
      collectMissing(e.getValue().path("items"), p + "[]", missing);
    });
  }
}
