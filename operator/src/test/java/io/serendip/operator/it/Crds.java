package io.serendip.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Installs the committed CRDs (crds/) into a real API server and waits until they are served. */
public final class Crds {
  public static final Path REPO = Path.of(System.getProperty("serendip.repo.dir", ".."));

  private Crds() {}

  public static synchronized void install(KubernetesClient client) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(REPO.resolve("crds"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      CustomResourceDefinition crd;
      try (InputStream in = Files.newInputStream(file)) {
        crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      }
      apply(client, crd);
    }
  }

  /** Applies one CRD and waits until the API server serves it. */
  public static void apply(KubernetesClient client, CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
    // status is written in steps: it may exist before its conditions do
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var live = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get();
      return live != null && live.getStatus() != null && live.getStatus().getConditions() != null
          && live.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    });
  }
}
