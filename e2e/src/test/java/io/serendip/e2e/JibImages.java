package io.serendip.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime and operator images, built by the modules' Jib configuration into image tarballs
 * (jib:buildTar: no Docker daemon or registry push involved; the base image is pulled). Needs the
 * modules they depend on installed in the local repository (./mvnw -pl runtime,operator -am install).
 */
final class JibImages {
  static final List<String> MODULES = List.of("runtime", "operator");

  private JibImages() {}

  /** Builds both tarballs; returns each image reference (serendip/&lt;module&gt;:&lt;tag&gt;) and its tarball. */
  static Map<String, Path> build(String tag) {
    Command.of(Command.repo().resolve("mvnw").toString(), "-B", "-q", "-pl", String.join(",", MODULES),
        "compile", "jib:buildTar").timeout(Duration.ofMinutes(30)).ok();
    Map<String, Path> images = new LinkedHashMap<>();
    for (String module : MODULES) {
      Path tarball = Command.repo().resolve(module).resolve("target/jib-image.tar");
      if (!Files.isRegularFile(tarball)) {
        throw new AssertionError("jib:buildTar wrote no " + tarball);
      }
      images.put("serendip/" + module + ":" + tag, tarball);
    }
    return images;
  }
}
