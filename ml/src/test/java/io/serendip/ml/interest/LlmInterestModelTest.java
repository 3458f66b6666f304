package io.serendip.ml.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.NoveltyTable;
import io.serendip.ml.interest.llm.LlmInterestModel;
import io.serendip.ml.interest.llm.LlmOnlineInterestModel;
import io.serendip.ml.interest.llm.LlmProcess;
import io.serendip.ml.jobs.JobCommands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LLM path end to end with the real default base (SmolLM2-135M-Instruct, installed by llm/setup.sh): a few
 * LoRA steps on planted transitions, gates, a sharded precompute through the component's constrained decoding
 * whose rows are the model's own answers, the merge job's gate check; and the refusals that must write nothing.
 * A few steps teach the answer format (exact-match), not yet the planted transitions: how well the model ranks
 * is measured in docs/benchmarks.md, not here.
 */
class LlmInterestModelTest {

    @TempDir
    static Path dir;
    private static Path dataset;
    private static Path clustersDir;
    private static Path model;
    private static int trained;
    private static String trainErr;

    @BeforeAll
    static void trainOnPlantedTransitions() throws Exception {
        PlantedInterests.writeInputs(dir, 300, 5);
        clustersDir = dir.resolve("clusters");
        dataset = dir.resolve("data");
        model = dir.resolve("llm");
        StringWriter err = new StringWriter();
        trained = job(err, "train-interest-model", "--dataset", dataset.toString(), "--clusters",
                clustersDir.toString(), "--descriptions", "KEYWORDS", "--max-examples", "96", "--batch-size", "8",
                "--learning-rate", "0.01", "--epochs", "2", "--max-gate-cases", "60", "--torch-threads", "2", "--output",
                model.toString());
        trainErr = err.toString();
    }

    @Test
    void aFewLoraStepsPassTheGatesAndTheTablePrecomputedInShardsPutsThePlantedNextClusterFirst() throws Exception {
        assertThat(trained).as(trainErr).isZero();
        ArtifactManifest manifest = ArtifactManifest.readVerified(model, LlmInterestModel.KIND);
        assertThat(manifest.metrics().get("exact_match_rate")).isGreaterThanOrEqualTo(GateReport.MIN_EXACT_MATCH_RATE);
        assertThat(manifest.metrics().get("constrained_valid_rate")).isEqualTo(1.0);
        assertThat(manifest.metrics()).containsKeys("test_recall", "baseline_recall_transition-frequency",
                "training_examples");
        assertThat(manifest.fileNames()).contains("llm.json", "training.json", "adapter/adapter_model.safetensors",
                "adapter/adapter_config.json");
        assertThat(dir.resolve(".llm.partial")).doesNotExist();

        Path shards = dir.resolve("shards");
        for (String shard : List.of("0/2", "1/2")) {
            assertThat(job(new StringWriter(), "precompute-novelty", "--dataset", dataset.toString(), "--clusters",
                    clustersDir.toString(), "--interest-model", model.toString(), "--top-n", "3", "--shard", shard,
                    "--output", shards.toString())).isZero();
        }
        Path table = dir.resolve("table");
        assertThat(job(new StringWriter(), "merge-novelty", "--shards", shards.toString(), "--clusters",
                clustersDir.toString(), "--interest-model", model.toString(), "--min-exact-match-rate", "0.9",
                "--min-recall", "0.015", "--output", table.toString())).isZero();
        ClusterSet clusters = ClusterSet.load(clustersDir);
        List<int[]> histories = new ArrayList<>();
        for (int c = 0; c < PlantedInterests.CLUSTERS; c++) {
            histories.add(new int[] {(c + PlantedInterests.CLUSTERS - 1) % PlantedInterests.CLUSTERS, c});
        }
        // the same histories asked of the model directly, one batch, to check the table holds its answers
        int[][] direct = LlmInterestModel.load(model, clusters, null, 0, 2, line -> { }).novelClusters(histories, 3);
        try (NoveltyTable novelty = NoveltyTable.open(table, clusters)) {
            for (int i = 0; i < histories.size(); i++) {
                int[] history = histories.get(i);
                int[] row = novelty.novelClusters(history[0], history[1]);
                assertThat(row).hasSize(3).doesNotContain(history).doesNotHaveDuplicates()
                        .containsExactly(direct[i]);
            }
        }
        // the interest-model server's view: the same model kept loaded in one process, asked one history at a time
        try (NovelInterestModel online = NovelInterestModel.load(model, clusters)) {
            assertThat(online).isInstanceOf(LlmOnlineInterestModel.class);
            assertThat(online.historyLength()).isEqualTo(2);
            for (int i = 0; i < histories.size(); i++) {
                List<NovelInterestModel.ScoredCluster> answer = online.novelInterests(histories.get(i), 3);
                assertThat(answer).extracting(NovelInterestModel.ScoredCluster::cluster)
                        .containsExactly(Arrays.stream(direct[i]).boxed().toArray(Integer[]::new));
                assertThat(answer).extracting(NovelInterestModel.ScoredCluster::score).isSortedAccordingTo(
                        Comparator.reverseOrder());
            }
            assertThat(online.novelInterests(new int[] {0, 1}, 1)).hasSize(1);
        }
    }

    @Test
    void theOnlineModelRefusesABaseWithAnotherDigestNamingTheFile() throws Exception {
        assertThat(trained).as(trainErr).isZero();
        Path fake = dir.resolve("other-base.gguf");
        Files.writeString(fake, "not the base this adapter was trained on");
        LlmInterestModel relocated = LlmInterestModel.load(model, ClusterSet.load(clustersDir), fake, 0, 1, l -> { });
        assertThatThrownBy(relocated::online).isInstanceOf(LlmProcess.LlmFailure.class)
                .hasMessageContaining("did not start serving").hasMessageContaining(fake.toString());
    }

    @Test
    void evaluateComparesTheFineTunedModelWithTheFewShotBaseOnTheSameHeldOutUsers() throws Exception {
        assertThat(trained).as(trainErr).isZero();
        ArtifactManifest manifest = ArtifactManifest.readVerified(model, LlmInterestModel.KIND);
        assertThat(manifest.metrics()).containsEntry("test_fraction", 0.1).containsEntry("split_seed", 42.0);
        Path report = dir.resolve("evaluation");
        StringWriter err = new StringWriter();
        assertThat(job(err, "evaluate", "--dataset", dataset.toString(), "--clusters", clustersDir.toString(),
                "--interest-model", model.toString(), "--pretrained-llm", "2", "--pretrained-quantization", "int8",
                "--pretrained-descriptions", "KEYWORDS", "--exact-match-sample", "12", "--bootstrap-resamples", "200",
                "--output", report.toString()))
                .as(err.toString()).isZero();
        JsonNode heldOut = new ObjectMapper().readTree(report.resolve("report.json").toFile()).get("heldOutNovelty");
        assertThat(heldOut.get("reference").asText()).isEqualTo("transition-frequency");
        assertThat(heldOut.get("exactMatchHistories").asInt()).isEqualTo(12);
        JsonNode sources = heldOut.get("sources");
        assertThat(sources.fieldNames()).toIterable().containsExactly("transition-frequency", "random",
                "llm-few-shot-2-keywords-int8", "llm-fine-tuned");
        for (String llm : List.of("llm-few-shot-2-keywords-int8", "llm-fine-tuned")) {
            JsonNode s = sources.get(llm);
            assertThat(s.get("validRate").asDouble()).as(llm).isEqualTo(1.0);
            JsonNode recall = s.get("novelRecall@1");
            assertThat(recall.get("low95").asDouble()).as(llm).isLessThanOrEqualTo(recall.get("mean").asDouble());
            assertThat(recall.get("high95").asDouble()).as(llm).isGreaterThanOrEqualTo(recall.get("mean").asDouble());
            assertThat(s.has("newInterestRecall@1 / transition-frequency")).as(llm).isTrue();
        }
        // the fine-tuned model passed its exact-match gate; the same held-out users ask it again here
        assertThat(sources.get("llm-fine-tuned").get("exactMatchRate").asDouble()).isGreaterThanOrEqualTo(0.75);
        assertThat(Files.readString(report.resolve("report.md"))).contains("Novel interests on held-out users");

        StringWriter refused = new StringWriter();
        assertThat(job(refused, "evaluate", "--dataset", dataset.toString(), "--clusters", clustersDir.toString(),
                "--interest-model", model.toString(), "--split-seed", "7", "--output",
                dir.resolve("other-split").toString())).isNotZero();
        assertThat(refused.toString()).contains("split seed 42").contains("users it learned from");
    }

    @Test
    void anAdapterTrainedForAnotherClusterSetIsRefused() {
        assertThat(trained).as(trainErr).isZero();
        assertThatThrownBy(() -> LlmInterestModel.load(model, PlantedInterests.otherClusters(), null, 0, 1, l -> { }))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("another cluster set");
    }

    @Test
    void theBaseWithoutFineTuningFailsTheExactMatchGateAndWritesNothing() {
        Path output = dir.resolve("zero-shot");
        StringWriter err = new StringWriter();
        assertThat(job(err, "train-interest-model", "--dataset", dataset.toString(), "--clusters",
                clustersDir.toString(), "--descriptions", "KEYWORDS", "--zero-shot", "--max-gate-cases", "30",
                "--torch-threads", "2", "--output", output.toString())).isEqualTo(TrainInterestModelCommand.GATE_FAILED);
        assertThat(err.toString()).contains("exact-match");
        assertThat(output).doesNotExist();
        assertThat(dir.resolve(".zero-shot.partial")).doesNotExist();
    }

    @Test
    void aTruncatedBaseIsRefusedNamingTheFileAndNothingIsWritten() throws Exception {
        Path truncated = dir.resolve("truncated.gguf");
        byte[] head = new byte[4096];
        try (var in = Files.newInputStream(io.serendip.ml.interest.llm.BaseModel.defaultBase().path())) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        Files.write(truncated, head);
        Path output = dir.resolve("from-truncated");
        StringWriter err = new StringWriter();
        assertThat(job(err, "train-interest-model", "--dataset", dataset.toString(), "--clusters",
                clustersDir.toString(), "--base", truncated.toString(), "--max-examples", "8", "--output",
                output.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).contains(truncated.toString()).doesNotContain("\n").doesNotContain("Traceback");
        assertThat(output).doesNotExist();
    }

    @Test
    void aPromptTemplateThatCannotBeRenderedIsRefusedBeforeAnyModelLoads() throws Exception {
        Path template = dir.resolve("template.txt");
        Files.writeString(template, "Liked {history}; also {user}?");
        Path output = dir.resolve("bad-template");
        StringWriter err = new StringWriter();
        assertThat(job(err, "train-interest-model", "--dataset", dataset.toString(), "--clusters",
                clustersDir.toString(), "--prompt-template", template.toString(), "--output", output.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains(template.toString()).contains("{user}");
        assertThat(output).doesNotExist();
    }

    private static int job(StringWriter err, String... args) {
        CommandLine job = new CommandLine(new TrainInterestModelCommandTest.JobRoot());
        JobCommands.all().forEach(job::addSubcommand);
        job.setErr(new PrintWriter(err, true));
        return job.execute(args);
    }
}
