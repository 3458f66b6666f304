package io.serendip.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed in crds/ and helm/serendip/crds/ must equal the ones generated from the API
 * classes in this build. Regenerate them with {@code ./mvnw -pl operator test -Dserendip.crds.update=true}.
 */
class CrdDriftTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  private static final Path REPO = Path.of(System.getProperty("serendip.repo.dir", ".."));
  private static final List<Path> COPIES =
      List.of(REPO.resolve("crds"), REPO.resolve("helm/serendip/crds"));

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    List<Path> generated = generatedCrds();
    assertThat(generated).as("generated CRDs").hasSize(4);
    boolean update = Boolean.getBoolean("serendip.crds.update");
    for (Path copyDir : COPIES) {
      for (Path crd : generated) {
        Path committed = copyDir.resolve(committedName(crd));
        String expected = Files.readString(crd);
        if (update) {
          Files.createDirectories(copyDir);
          Files.writeString(committed, expected);
        }
        assertThat(committed)
            .as("%s is out of date; regenerate with -Dserendip.crds.update=true", committed)
            .exists();
        assertThat(Files.readString(committed))
            .as("%s differs from the CRD generated from the API classes; regenerate with"
                + " -Dserendip.crds.update=true", committed)
            .isEqualTo(expected);
      }
      try (Stream<Path> files = Files.list(copyDir)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted())
            .as("no stale CRD files in %s", copyDir)
            .containsExactlyElementsOf(generated.stream().map(CrdDriftTest::committedName).sorted().toList());
      }
    }
  }

  /** interestmodels.serendip.io-v1.yml is committed as interestmodels.serendip.io.yaml. */
  static String committedName(Path generated) {
    return generated.getFileName().toString().replace("-v1.yml", ".yaml");
  }

  static List<Path> generatedCrds() throws IOException {
    try (Stream<Path> files = Files.list(GENERATED)) {
      return files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
    }
  }
}
