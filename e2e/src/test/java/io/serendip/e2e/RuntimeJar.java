package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The runtime's fat jar, built by the runtime module before this one, and its offline jobs. */
final class RuntimeJar {
  private RuntimeJar() {}

  static Path path() {
    Path jar = Command.repo().resolve("runtime/target/serendip-runtime.jar");
    assertThat(jar).as("runtime jar (./mvnw -pl runtime -am package)").isRegularFile();
    return jar;
  }

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Runs {@code serendip job <args>} and returns its progress output; fails with both streams otherwise. */
  static String job(String... args) {
    List<String> argv = new ArrayList<>(List.of("-jar", path().toString(), "job"));
    argv.addAll(List.of(args));
    return Command.of(java().toString()).args(argv).timeout(Duration.ofMinutes(10)).ok();
  }

}
