package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image archives the build writes (base-image, runtime and operator modules: build/images), read as a
 * node reads them, and hack/images.sh verify, which refuses an archive that is not what its digests say.
 */
class ImageArchivesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path IMAGES = Command.repo().resolve("build/images");

  static Command images(String... args) {
    return Command.of(Command.repo().resolve("hack/images.sh").toString(), args);
  }

  static JsonNode json(Path archive, String name) throws IOException {
    return JSON.readTree(Command.of("tar", "-xOf", archive.toString(), name).ok());
  }

  static JsonNode config(Path archive) throws IOException {
    return json(archive, json(archive, "manifest.json").get(0).path("Config").asText());
  }

  @Test
  void theBuildWritesVerifiableArchivesOfTheDeployablesOnTheSameBase() throws IOException {
    Path base = IMAGES.resolve("serendip-base.tar");
    images("verify", base.toString(), IMAGES.resolve("serendip-runtime.tar").toString(),
        IMAGES.resolve("serendip-operator.tar").toString()).ok();

    JsonNode baseConfig = config(base);
    String baseLayer = baseConfig.path("rootfs").path("diff_ids").get(0).asText();
    assertThat(baseConfig.path("config").path("User").asText()).isEqualTo("65532:65532");
    for (String module : List.of("runtime", "operator")) {
      JsonNode config = config(IMAGES.resolve("serendip-" + module + ".tar"));
      // Users' own builds take the same base: the deployables are that base plus their own layers.
      assertThat(config.path("rootfs").path("diff_ids").get(0).asText()).as(module).isEqualTo(baseLayer);
      assertThat(config.path("config").path("User").asText()).as(module).isEqualTo("65532");
      assertThat(config.path("config").path("Entrypoint").get(0).asText()).as(module).isEqualTo("java");
      assertThat(json(IMAGES.resolve("serendip-" + module + ".tar"), "manifest.json").get(0).path("RepoTags").get(0)
          .asText()).as(module).startsWith("serendip/" + module + ":");
    }
    assertThat(config(IMAGES.resolve("serendip-runtime.tar")).path("config").path("Entrypoint").toString())
        .contains("io.serendip.runtime.Main").contains("--add-modules=jdk.incubator.vector");
    assertThat(config(IMAGES.resolve("serendip-operator.tar")).path("config").path("Entrypoint").toString())
        .contains("io.serendip.operator.OperatorMain");
    // The package list the base was built from, for comparing two builds.
    assertThat(Files.readString(IMAGES.resolve("serendip-base.tar.packages"))).contains("openjdk-17-jre-headless ");
  }

  @Test
  void theCudaImageIsTheRuntimeOnThePythonBaseWithTheLlmComponent() throws IOException {
    Path pythonBase = IMAGES.resolve("serendip-base-python.tar");
    Path cuda = IMAGES.resolve("serendip-runtime-cuda.tar");
    images("verify", pythonBase.toString(), cuda.toString()).timeout(java.time.Duration.ofMinutes(10)).ok();
    JsonNode config = config(cuda);
    assertThat(config.path("rootfs").path("diff_ids").get(0).asText())
        .isEqualTo(config(pythonBase).path("rootfs").path("diff_ids").get(0).asText());
    assertThat(config.path("config").path("User").asText()).isEqualTo("65532");
    assertThat(config.path("config").path("Entrypoint").toString()).contains("io.serendip.runtime.Main");
    assertThat(config.path("config").path("Env").toString())
        .contains("SERENDIP_LLM_PYTHON=/usr/bin/python3", "PYTHONPATH=/opt/serendip/python",
            "SERENDIP_MODEL_CACHE=/opt/serendip/models", "PYTORCH_LIBRARY_PATH=/opt/serendip/python/torch/lib",
            "PYTORCH_FLAVOR=cpu");
    assertThat(json(cuda, "manifest.json").get(0).path("RepoTags").get(0).asText()).startsWith("serendip/runtime-cuda:");
    assertThat(Files.readString(IMAGES.resolve("serendip-base-python.tar.packages"))).contains("python3 ");
  }

  /** A small well-formed archive: one plain-tar layer holding one file, its config and manifest. */
  static final class TinyArchive {
    final Path dir;
    final ObjectNode config = JSON.createObjectNode();
    byte[] layer;

    TinyArchive(Path dir) throws IOException {
      this.dir = dir;
      Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
      Files.writeString(rootfs.resolve("hello"), "hello\n");
      Command.of("tar", "-cf", dir.resolve("layer.tar").toString(), "-C", rootfs.toString(), "hello").ok();
      layer = Files.readAllBytes(dir.resolve("layer.tar"));
      config.put("architecture", "amd64").put("os", "linux");
      config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add("sha256:" + sha256(layer));
    }

    /** Writes NAME.tar (and NAME.id with the config's true id); returns the archive. */
    Path write(String name) throws IOException {
      Path image = Files.createDirectories(dir.resolve(name));
      Files.write(image.resolve("layer.tar"), layer);
      byte[] configBytes = JSON.writeValueAsBytes(config);
      Files.write(image.resolve("config.json"), configBytes);
      Files.writeString(image.resolve("manifest.json"),
          "[{\"Config\":\"config.json\",\"RepoTags\":[\"tiny:1\"],\"Layers\":[\"layer.tar\"]}]");
      Path archive = dir.resolve(name + ".tar");
      Command.of("tar", "-cf", archive.toString(), "-C", image.toString(), "manifest.json", "config.json", "layer.tar")
          .ok();
      Files.writeString(dir.resolve(name + ".id"), "sha256:" + sha256(configBytes) + "\n");
      return archive;
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void verifyRefusesAnArchiveThatIsNotWhatItsDigestsSay(@TempDir Path dir) throws IOException {
    TinyArchive tiny = new TinyArchive(dir);
    assertThat(images("verify", tiny.write("good").toString()).run().exitCode()).isZero();

    tiny.layer[600] ^= 1; // one bit of the file's content
    Command.Result layer = images("verify", tiny.write("flipped").toString()).run();
    assertThat(layer.exitCode()).isEqualTo(1);
    assertThat(layer.stderr()).contains("flipped.tar: layer 1 (layer.tar) has digest sha256:")
        .contains("the config says sha256:");

    TinyArchive other = new TinyArchive(Files.createDirectories(dir.resolve("arm")));
    other.config.put("architecture", "arm64");
    Command.Result arch = images("verify", other.write("arm").toString()).run();
    assertThat(arch.exitCode()).isEqualTo(1);
    assertThat(arch.stderr()).contains("arm.tar: image architecture arm64, this node is amd64");

    TinyArchive edited = new TinyArchive(Files.createDirectories(dir.resolve("edited")));
    Path archive = edited.write("edited");
    Files.writeString(dir.resolve("edited/edited.id"), "sha256:" + "0".repeat(64) + "\n");
    Command.Result id = images("verify", archive.toString()).run();
    assertThat(id.exitCode()).isEqualTo(1);
    assertThat(id.stderr()).contains("does not match sha256:" + "0".repeat(64));

    Command.Result missing = images("verify", dir.resolve("absent.tar").toString()).run();
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("absent.tar: no such image archive");
  }
}
