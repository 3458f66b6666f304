package io.serendip.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime, runtime-cuda and operator image archives the build wrote to build/images (Jib's buildTar at package time,
 * layered on the base image from Debian's packages: no Docker daemon, no registry).
 */
final class JibImages {
  static final List<String> MODULES = List.of("runtime", "runtime-cuda", "operator");

  private JibImages() {}

  /** Each image reference (serendip/&lt;module&gt;:&lt;version&gt;, as tagged in the archive) and its archive. */
  static Map<String, Path> built() {
    Map<String, Path> images = new LinkedHashMap<>();
    for (String module : MODULES) {
      Path archive = Command.repo().resolve("build/images/serendip-" + module + ".tar");
      if (!Files.isRegularFile(archive)) {
        throw new AssertionError("no " + archive + ": the " + module + " module's package phase writes it"
            + " (skipped with -Dserendip.images.skip)");
      }
      try {
        String tag = new ObjectMapper().readTree(Command.of("tar", "-xOf", archive.toString(), "manifest.json").ok())
            .get(0).path("RepoTags").get(0).asText();
        images.put(tag, archive);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return images;
  }
}
