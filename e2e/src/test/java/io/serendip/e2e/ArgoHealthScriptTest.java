package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Argo CD health scripts under examples/gitops/argocd, run by a real Lua interpreter against every
 * case of their health_test.yaml (Argo CD's own layout: status and message must both match).
 */
class ArgoHealthScriptTest {
  static final Path CUSTOMIZATIONS = Command.repo().resolve("examples/gitops/argocd/resource_customizations/serendip.io");
  static final Set<String> KINDS = Set.of("InterestClusterSet", "InterestModel", "RecommenderModel", "ExplorationExperiment");

  @TestFactory
  Stream<DynamicTest> everyHealthTestCase() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String kind : KINDS.stream().sorted().toList()) {
      Path dir = CUSTOMIZATIONS.resolve(kind);
      String script = Files.readString(dir.resolve("health.lua"));
      for (JsonNode c : Manifests.parse(dir.resolve("health_test.yaml")).get(0).path("tests")) {
        String input = c.path("inputPath").asText();
        tests.add(DynamicTest.dynamicTest(kind + " " + input, () -> {
          JsonNode resource = Manifests.parse(dir.resolve(input)).get(0);
          assertThat(resource.path("kind").asText()).isEqualTo(kind);
          LuaHealth.Health health = LuaHealth.evaluate(script, resource);
          assertThat(health.status()).as("status").isEqualTo(c.path("healthStatus").path("status").asText());
          assertThat(health.message()).as("message").isEqualTo(c.path("healthStatus").path("message").asText());
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void everyKindHasAScriptAndCoversHealthyProgressingAndDegraded() throws IOException {
    try (Stream<Path> dirs = Files.list(CUSTOMIZATIONS)) {
      assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(KINDS);
    }
    for (String kind : KINDS) {
      List<String> statuses = new ArrayList<>();
      Manifests.parse(CUSTOMIZATIONS.resolve(kind).resolve("health_test.yaml")).get(0).path("tests")
          .forEach(c -> statuses.add(c.path("healthStatus").path("status").asText()));
      assertThat(statuses).as(kind).contains("Healthy", "Progressing", "Degraded");
    }
  }
}
