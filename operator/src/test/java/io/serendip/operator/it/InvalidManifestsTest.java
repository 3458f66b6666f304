package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest in examples/invalid/ is rejected by the real API server (OpenAPI schema and CEL
 * rules of the generated CRDs) with the message in its "# expect:" header, which names the field.
 */
@WithLocalControlPlane
class InvalidManifestsTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String namespace;

  @BeforeAll
  static void setUp() throws IOException {
    Crds.install(client);
    namespace = controlPlane.createNamespace(client, "invalid");
  }

  static Stream<Path> manifests() throws IOException {
    return Files.list(Crds.REPO.resolve("examples/invalid")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @Test
  void thereAreAtLeastTwentyInvalidManifests() throws IOException {
    assertThat(manifests().count()).isGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void isRejectedWithItsExpectedMessage(Path file) throws IOException {
    String text = Files.readString(file);
    String expected = text.lines().filter(l -> l.startsWith("# expect: ")).findFirst()
        .map(l -> l.substring("# expect: ".length())).orElseThrow(() -> new AssertionError(file + " has no # expect:"));
    List<HasMetadata> docs = client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
    for (HasMetadata valid : docs.subList(0, docs.size() - 1)) {
      client.resource(valid).inNamespace(namespace).create(); // the object a rejected update starts from
    }
    HasMetadata invalid = docs.get(docs.size() - 1);
    assertThatThrownBy(() -> {
      if (docs.size() > 1) {
        updateStored(invalid);
      } else {
        client.resource(invalid).inNamespace(namespace).create();
      }
    })
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  /**
   * Replaces the stored object with {@code changed} at the stored resourceVersion. The in-process
   * operator of other test classes of this JVM watches every namespace and may write the object
   * (finalizer, status) between read and write; that 409 Conflict says nothing about validation, so
   * it is retried, a bounded number of times, from a fresh read.
   */
  private static void updateStored(HasMetadata changed) {
    for (int attempt = 1; ; attempt++) {
      HasMetadata stored = client.resource(changed).inNamespace(namespace).get();
      changed.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
      try {
        client.resource(changed).inNamespace(namespace).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }
}
