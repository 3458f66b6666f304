package io.serendip.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandsTest {
    final StringWriter err = new StringWriter();

    CommandLine cli() {
        CommandLine cli = Commands.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli;
    }

    @Test
    void registersTheServersAndThePipelineJobs() {
        CommandLine cli = cli();
        assertThat(cli.getSubcommands()).containsKeys("router", "recommender", "job");
        assertThat(cli.getSubcommands().get("job").getSubcommands()).containsKeys("import-movielens", "build-clusters", "precompute-novelty", "import-recommender",
                "build-cluster-set");
    }

    @Test
    void versionPrintsTheBuildsVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = Commands.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--version")).isZero();
        // The build substitutes the project's version; an unfiltered resource would print the placeholder.
        assertThat(out.toString().strip()).matches("serendip \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void aMissingConfigFileIsNamedAndExitsNonZero(@TempDir Path dir) {
        int code = cli().execute("router", "--config", dir.resolve("absent.yaml").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("absent.yaml").contains("does not exist");
    }

    @Test
    void anInvalidConfigListsEveryBadFieldAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                apiVersion: serendip.io/v1alpha1
                kind: RouterConfig
                router:
                  experiment: e
                  salt: s
                  arms:
                    - {name: control, control: true, weightBasisPoints: 6000, backend: "http://a:1"}
                    - {name: explore, weightBasisPoints: 12000, backend: "http://b:1"}
                """);
        Path terminationLog = Files.createFile(dir.resolve("termination-log"));
        System.setProperty(TerminationLog.PROPERTY, terminationLog.toString());
        int code;
        try {
            code = cli().execute("router", "--config", file.toString());
        } finally {
            System.clearProperty(TerminationLog.PROPERTY);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("router.arms[1].weightBasisPoints: must be between 0 and 10000")
                .contains("router.arms: weightBasisPoints must sum to 10000");
        // What the kubelet reads into the container's terminated state, for the operator's conditions: one line.
        assertThat(Files.readString(terminationLog)).startsWith("refusing to start: invalid config " + file)
                .contains("router.arms[1].weightBasisPoints: must be between 0 and 10000")
                .doesNotContain("\n");
    }

    @Test
    void aConfigOfTheWrongKindIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                apiVersion: serendip.io/v1alpha1
                kind: RecommenderConfig
                recommender: {modelDir: /m, clustersDir: /c, noveltyTable: /n}
                """);
        assertThat(cli().execute("router", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("kind: must be RouterConfig");
    }

    @Test
    void missingArtifactsRefuseToStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                apiVersion: serendip.io/v1alpha1
                kind: RecommenderConfig
                recommender: {modelDir: /nonexistent/m, clustersDir: /nonexistent/c, noveltyTable: /nonexistent/n}
                """);
        assertThat(cli().execute("recommender", "--config", file.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("refusing to start").contains("/nonexistent/c");
    }
}
