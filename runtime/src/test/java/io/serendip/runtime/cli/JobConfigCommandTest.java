package io.serendip.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.ArtifactCleanupSettings;
import io.serendip.config.ClusterBuildSettings;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigs;
import io.serendip.config.NoveltyMergeSettings;
import io.serendip.config.NoveltyPrecomputeSettings;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.NoveltyTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code job --config}: the cluster-set build, the precompute and the merge run from Job config files alone. */
class JobConfigCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = Commands.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    int runConfig(Path dir, String name, JobConfig config) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, JobConfigs.write(config));
        return run("job", "--config", file.toString());
    }

    @Test
    void thePipelinesJobsRunFromTheirConfigs(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("job", "generate-synthetic", "--items", "120", "--users", "300", "--interests", "6",
                "--output", data.toString())).isZero();
        Path clusters = dir.resolve("clusters");
        assertThat(runConfig(dir, "build", JobConfig.clusterBuild(new ClusterBuildSettings(
                ClusterBuildSettings.CatalogFormat.Dataset, data.toString(), ClusterBuildSettings.Embedding.CoOccurrence,
                8, null, List.of(3, 6), 3, 7L, clusters.toString())))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("[job] ClusterBuild: build-cluster-set --catalog-format dataset");
        assertThat(clusters.resolve("dataset/catalog.jsonl")).exists();

        Path table = dir.resolve("table");
        assertThat(runConfig(dir, "precompute", JobConfig.noveltyPrecompute(new NoveltyPrecomputeSettings(
                clusters.toString(), null, 2, 2, null, 1, table.resolve("shards").toString())))).as(err.toString()).isZero();
        assertThat(runConfig(dir, "merge", JobConfig.noveltyMerge(new NoveltyMergeSettings(
                table.resolve("shards").toString(), clusters.toString(), table.toString(), null, null, null))))
                .as(err.toString()).isZero();
        ClusterSet set = ClusterSet.load(clusters);
        try (NoveltyTable opened = NoveltyTable.open(table.resolve(NoveltyTable.FILE_NAME), set)) {
            assertThat(opened.header().totalRows()).isPositive();
        }
    }

    @Test
    void aCleanupDeletesRetiredVersionsAndNothingElse(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("artifacts");
        Path retired = root.resolve("interest-models/m/v1");
        Path kept = root.resolve("interest-models/m/v2");
        Files.createDirectories(retired.resolve("adapter"));
        Files.writeString(retired.resolve("adapter/weights.bin"), "old");
        Files.createDirectories(kept);
        Files.writeString(kept.resolve("model.gguf"), "current");
        Path gone = root.resolve("novelty/m/v0");

        assertThat(runConfig(dir, "clean", JobConfig.artifactCleanup(new ArtifactCleanupSettings(root.toString(),
                List.of(retired.toString(), gone.toString()))))).as(err.toString()).isZero();
        assertThat(retired).doesNotExist();
        assertThat(kept.resolve("model.gguf")).hasContent("current");
        assertThat(out.toString()).contains("deleted " + retired).contains(gone + " is already gone");
    }

    @Test
    void aCleanupOutsideItsRootDeletesNothing(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("artifacts"));
        Path inside = Files.createDirectories(root.resolve("m/v1"));
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        // The command line skips the config's validation, so the job itself must refuse too.
        assertThat(run("job", "delete-artifacts", "--root", root.toString(), "--path", inside.toString(),
                "--path", root + "/m/../../elsewhere")).isEqualTo(2);
        assertThat(err.toString()).contains("does not lie strictly inside --root " + root);
        assertThat(inside).exists();
        assertThat(outside).exists();
    }

    @Test
    void anInvalidConfigIsRefusedNamingTheFieldWithExitCode2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, """
                apiVersion: serendip.io/v1alpha1
                kind: NoveltyPrecompute
                noveltyPrecompute: {clusters: /c, shards: 0, output: shards}
                """);
        assertThat(run("job", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("noveltyPrecompute.shards: must be between 1 and 100000 (got 0)")
                .contains("noveltyPrecompute.output: must be an absolute path (got shards)");
    }

    @Test
    void neitherAJobNorAConfigIsAUsageError() {
        assertThat(run("job")).isEqualTo(2);
        assertThat(err.toString()).contains("a job name or --config is required");
    }
}
