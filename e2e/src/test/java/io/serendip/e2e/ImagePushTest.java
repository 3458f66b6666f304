package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serendip.kube.local.LocalControlPlane;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hack/images.sh push against a real OCI registry (distribution, built from the Go module proxy) on loopback: what
 * lands in the registry is the image the build wrote, config digest for config digest.
 */
class ImagePushTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json,"
      + "application/vnd.oci.image.manifest.v1+json";

  @Test
  void pushSendsTheBuiltImagesToTheRegistryTheUserNames(@TempDir Path dir) throws Exception {
    Path registry = LocalControlPlane.binDir().resolve("registry");
    if (!Files.isExecutable(registry)) {
      Command.of(Command.repo().resolve("hack/build-control-plane.sh").toString()).timeout(Duration.ofMinutes(30)).ok();
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        log: {level: warn}
        storage:
          filesystem: {rootdirectory: %s}
        http:
          addr: 127.0.0.1:%d
        """.formatted(dir.resolve("storage"), port));
    Process server = new ProcessBuilder(registry.toString(), "serve", dir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      for (int i = 0; i < 100; i++) { // until it listens
        try {
          if (http.send(HttpRequest.newBuilder(URI.create(base + "/v2/")).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200) {
            break;
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        Thread.sleep(100);
      }
      Command.of(Command.repo().resolve("hack/images.sh").toString(), "push", "127.0.0.1:" + port, "--tag", "pushed")
          .env("SERENDIP_REGISTRY_TLS_VERIFY", "false").timeout(Duration.ofMinutes(15)).ok();

      for (String name : List.of("base", "runtime", "runtime-cuda", "operator")) {
        HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(
                URI.create(base + "/v2/serendip/" + name + "/manifests/pushed")).header("Accept", ACCEPT).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(manifest.statusCode()).as(name + ": " + manifest.body()).isEqualTo(200);
        JsonNode doc = JSON.readTree(manifest.body());
        String built = Files.readString(Command.repo().resolve("build/images/serendip-" + name + ".id")).strip();
        assertThat(doc.path("config").path("digest").asText()).as(name).isEqualTo(built);
        HttpResponse<Void> blob = http.send(HttpRequest.newBuilder(
                URI.create(base + "/v2/serendip/" + name + "/blobs/" + built)).method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(blob.statusCode()).as(name + " config blob").isEqualTo(200);
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }
}
