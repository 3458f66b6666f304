package io.serendip.ml.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.NoveltyTable;
import io.serendip.ml.eval.EvaluationReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class JobCommandsTest {
    @TempDir
    Path dir;

    @Command(name = "job")
    static final class Root {
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine root = new CommandLine(new Root());
        JobCommands.all().forEach(root::addSubcommand);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(out));
        root.setErr(new PrintWriter(err));
        int code = root.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listsEveryJobOnce() {
        List<String> names = JobCommands.all().stream()
                .map(c -> c.getClass().getAnnotation(Command.class).name()).toList();
        assertThat(names).contains("import-movielens", "import-sequences", "generate-synthetic", "embed",
                "build-clusters", "precompute-novelty", "merge-novelty", "evaluate").doesNotHaveDuplicates();
    }

    @Test
    void runsTheChainOnSyntheticDataWithShardedPrecompute() throws Exception {
        Path data = dir.resolve("data");
        Path embeddings = dir.resolve("embeddings");
        Path clusters = dir.resolve("clusters");
        Path shards = dir.resolve("shards");
        Path table = dir.resolve("table");
        Path whole = dir.resolve("whole");
        Path report = dir.resolve("report");

        assertThat(run("generate-synthetic", "--items", "150", "--users", "400", "--interests", "6", "--seed", "3",
                "--output", data.toString()).exitCode()).isZero();
        Run embed = run("embed", "--dataset", data.toString(), "--method", "cooccurrence", "--dimension", "12",
                "--output", embeddings.toString());
        assertThat(embed.exitCode()).as(embed.err()).isZero();
        Run build = run("build-clusters", "--dataset", data.toString(), "--embeddings", embeddings.toString(),
                "--levels", "4,12", "--output", clusters.toString());
        assertThat(build.exitCode()).as(build.err()).isZero();
        assertThat(build.out()).contains("level 1: 12 clusters");
        ClusterSet clusterSet = ClusterSet.load(clusters);
        assertThat(clusterSet.clusterCount()).isEqualTo(12);

        for (int i = 0; i < 3; i++) {
            Run shard = run("precompute-novelty", "--dataset", data.toString(), "--clusters", clusters.toString(),
                    "--top-n", "4", "--shard", i + "/3", "--output", shards.toString());
            assertThat(shard.exitCode()).as(shard.err()).isZero();
        }
        Run merge = run("merge-novelty", "--shards", shards.toString(), "--clusters", clusters.toString(),
                "--output", table.toString());
        assertThat(merge.exitCode()).as(merge.err()).isZero();
        Run single = run("precompute-novelty", "--dataset", data.toString(), "--clusters", clusters.toString(),
                "--top-n", "4", "--threads", "2", "--output", whole.toString());
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(single.out()).contains("histories/s");
        assertThat(Files.readAllBytes(table.resolve(PipelineJobs.TABLE_FILE)))
                .isEqualTo(Files.readAllBytes(whole.resolve(PipelineJobs.TABLE_FILE)));
        ArtifactManifest.readVerified(table, PipelineJobs.NOVELTY_KIND);
        try (NoveltyTable viaDirectory = NoveltyTable.open(table, clusterSet)) {
            assertThat(viaDirectory.clusterCount()).isEqualTo(12);
        }
        // a modified table file inside an artifact directory is refused by the manifest check
        Files.write(whole.resolve(PipelineJobs.TABLE_FILE), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NoveltyTable.open(whole))
                .isInstanceOf(io.serendip.ml.artifact.ArtifactException.class).hasMessageContaining("novelty-table.bin");
        try (NoveltyTable opened = NoveltyTable.open(table.resolve(PipelineJobs.TABLE_FILE), clusterSet)) {
            assertThat(opened.novelClusters(0, 1)).hasSize(4).doesNotContain(0, 1);
        }

        Run evaluate = run("evaluate", "--dataset", data.toString(), "--clusters", clusters.toString(), "--output",
                report.toString());
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        assertThat(report.resolve(EvaluationReport.MARKDOWN_FILE)).exists();
        assertThat(report.resolve(EvaluationReport.RECALL_CHART)).exists();
    }

    @Test
    void coOccurrenceClustersFitOnTrainingUsersOnlyAreTheOnlyOnesAHeldOutComparisonAccepts() throws Exception {
        Path data = dir.resolve("fit-data");
        assertThat(run("generate-synthetic", "--items", "150", "--users", "400", "--interests", "6", "--seed", "3",
                "--output", data.toString()).exitCode()).isZero();
        // a model artifact whose manifest records the comparison's split; refused or not before it is opened
        Path model = Files.createDirectories(dir.resolve("fit-model"));
        Files.writeString(model.resolve("weights.bin"), "not a model");
        ArtifactManifest.builder("interest-model").metric("test_fraction", 0.2).metric("split_seed", 5).write(model);
        java.util.function.BiFunction<String, String[], Run> buildAndCompare = (name, split) -> {
            Path clusters = dir.resolve("fit-clusters-" + name);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("build-cluster-set",
                    "--catalog-format", "dataset", "--catalog", data.toString(), "--embedding", "cooccurrence",
                    "--dimension", "8", "--levels", "6", "--output", clusters.toString()));
            args.addAll(java.util.List.of(split));
            Run build = run(args.toArray(String[]::new));
            assertThat(build.exitCode()).as(build.err()).isZero();
            return run("evaluate", "--dataset", data.toString(), "--clusters", clusters.toString(), "--interest-model",
                    model.toString(), "--output", dir.resolve("fit-report-" + name).toString());
        };

        Run everyone = buildAndCompare.apply("all", new String[0]);
        assertThat(everyone.exitCode()).isNotZero();
        assertThat(everyone.err()).contains("built from interactions of every user",
                "--held-out-fraction 0.2 --split-seed 5");
        assertThat(ArtifactManifest.read(dir.resolve("fit-clusters-all")).metrics())
                .containsEntry("uses_interactions", 1.0).doesNotContainKey("test_fraction");

        Run otherSplit = buildAndCompare.apply("other", new String[] {"--held-out-fraction", "0.2", "--split-seed", "6"});
        assertThat(otherSplit.exitCode()).isNotZero();
        assertThat(otherSplit.err()).contains("held out with fraction 0.2 and split seed 6");

        Path matching = dir.resolve("fit-clusters-same");
        Run same = buildAndCompare.apply("same", new String[] {"--held-out-fraction", "0.2", "--split-seed", "5"});
        assertThat(same.err()).doesNotContain("built from interactions");
        assertThat(ArtifactManifest.read(matching).metrics()).containsEntry("test_fraction", 0.2)
                .containsEntry("split_seed", 5.0);
        assertThat(ArtifactManifest.read(matching.resolve(BuildClusterSetJob.EMBEDDINGS_DIR)).metrics())
                .containsEntry("uses_interactions", 1.0).containsEntry("test_fraction", 0.2);
    }

    @Test
    void failuresExitNonZeroWithAClearMessage() throws Exception {
        Run missing = run("embed", "--dataset", dir.resolve("nope").toString(), "--output", dir.resolve("e").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("embed: error:").contains("catalog.jsonl");

        Path data = dir.resolve("data");
        assertThat(run("generate-synthetic", "--items", "40", "--users", "50", "--interests", "4", "--output",
                data.toString()).exitCode()).isZero();
        Run blend = run("evaluate", "--dataset", data.toString(), "--clusters", dir.resolve("none").toString(),
                "--blend-min-count", "5", "--output", dir.resolve("r").toString());
        assertThat(blend.exitCode()).isEqualTo(1);
        assertThat(blend.err()).contains("--blend-min-count needs --interest-model");
        assertThat(dir.resolve("r")).doesNotExist();
        Run quantization = run("evaluate", "--dataset", data.toString(), "--clusters", dir.resolve("none").toString(),
                "--pretrained-llm", "0", "--pretrained-quantization", "int4", "--output", dir.resolve("r").toString());
        assertThat(quantization.exitCode()).isEqualTo(1);
        assertThat(quantization.err()).contains("--pretrained-quantization must be none or int8, got int4");
        assertThat(dir.resolve("r")).doesNotExist();
        Run descriptions = run("evaluate", "--dataset", data.toString(), "--clusters", dir.resolve("none").toString(),
                "--pretrained-llm", "0", "--pretrained-descriptions", "TITLES", "--output", dir.resolve("r").toString());
        assertThat(descriptions.exitCode()).isEqualTo(1);
        assertThat(descriptions.err()).contains("--pretrained-descriptions must be KEYWORDS_AND_TITLES or KEYWORDS");
        assertThat(dir.resolve("r")).doesNotExist();
        Run method = run("embed", "--dataset", data.toString(), "--method", "magic", "--output", dir.resolve("e").toString());
        assertThat(method.exitCode()).isEqualTo(1);
        assertThat(method.err()).contains("--method");

        Path embeddings = dir.resolve("e2");
        assertThat(run("embed", "--dataset", data.toString(), "--method", "cooccurrence", "--dimension", "4",
                "--output", embeddings.toString()).exitCode()).isZero();
        Path clusters = dir.resolve("c");
        assertThat(run("build-clusters", "--dataset", data.toString(), "--embeddings", embeddings.toString(),
                "--levels", "4", "--output", clusters.toString()).exitCode()).isZero();
        Run shard = run("precompute-novelty", "--dataset", data.toString(), "--clusters", clusters.toString(),
                "--shard", "3/3", "--output", dir.resolve("s").toString());
        assertThat(shard.exitCode()).isEqualTo(1);
        assertThat(shard.err()).contains("shard");
        Run model = run("precompute-novelty", "--dataset", data.toString(), "--clusters", clusters.toString(),
                "--interest-model", dir.toString(), "--output", dir.resolve("s").toString());
        assertThat(model.exitCode()).isEqualTo(1);
        assertThat(model.err()).contains("--interest-model").contains("no model extension");
        Run levels = run("build-clusters", "--dataset", data.toString(), "--embeddings", embeddings.toString(),
                "--levels", "8,2", "--output", dir.resolve("c2").toString());
        assertThat(levels.exitCode()).isEqualTo(1);
        assertThat(levels.err()).contains("level 1");
        Run plugin = run("evaluate", "--dataset", data.toString(), "--clusters", clusters.toString(), "--recommender",
                dir.toString(), "--output", dir.resolve("r").toString());
        assertThat(plugin.exitCode()).isEqualTo(1);
        assertThat(plugin.err()).contains("--recommender");

        Files.writeString(clusters.resolve(ClusterSet.CLUSTERS_FILE), "{}");
        Run tampered = run("evaluate", "--dataset", data.toString(), "--clusters", clusters.toString(), "--output",
                dir.resolve("r").toString());
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.err()).contains("clusters.json");
    }
}
