package io.serendip.ml.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.serendip.ml.interest.llm.TrainingWorkers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two workers of one fine-tuning, as the two pods of a PyTorchJob run it: each runs train-interest-model with its
 * RANK, both join the LLM component's distributed training over a real socket, and the first alone evaluates the
 * gates and publishes (with the real base model, installed by llm/setup.sh).
 */
class DistributedFineTuningTest {
    @TempDir
    Path dir;

    /** Exit code, and what the job printed (progress on out, refusals on err). */
    record Run(int exitCode, String err) {}

    Run worker(int rank, int port, Path output) {
        TrainInterestModelCommand command = new TrainInterestModelCommand();
        command.workers = new TrainingWorkers(rank, 2, "127.0.0.1", port);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(err, true));
        int code = cli.execute("--dataset", dir.resolve("data").toString(), "--clusters",
                dir.resolve("clusters").toString(), "--descriptions", "KEYWORDS", "--max-examples", "96",
                "--batch-size", "8", "--learning-rate", "0.01", "--epochs", "2", "--max-gate-cases", "60",
                "--torch-threads", "1", "--output", output.toString());
        return new Run(code, err.toString());
    }

    @Test
    void twoWorkersTrainOneModelThatOnlyTheFirstPublishes() throws Exception {
        PlantedInterests.writeInputs(dir, 300, 5);
        Path output = dir.resolve("model");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int masterPort = port;
        CompletableFuture<Run> second = CompletableFuture.supplyAsync(() -> worker(1, masterPort, output));
        Run first = worker(0, masterPort, output);
        Run other = second.get();

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(first.err()).contains("2 workers").contains("gates:").contains("wrote " + output);
        assertThat(other.err()).contains("worker 1 of 2: training done").doesNotContain("gates:");
        var report = new ObjectMapper().readTree(output.resolve("training.json").toFile());
        assertThat(report.get("workers").asInt()).isEqualTo(2);
        assertThat(output.resolve("manifest.json")).exists();
        try (Stream<Path> files = Files.list(dir)) { // nothing beside the inputs and the one model
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data", "clusters",
                    "model");
        }
    }

    @Test
    void severalWorkersAreForTheLlmOnly() throws Exception {
        PlantedInterests.writeInputs(dir, 60, 5);
        TrainInterestModelCommand command = new TrainInterestModelCommand();
        command.workers = new TrainingWorkers(0, 2, "127.0.0.1", 29500);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--model", "from-scratch", "--dataset", dir.resolve("data").toString(), "--clusters",
                dir.resolve("clusters").toString(), "--output", dir.resolve("m").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("WORLD_SIZE 2: several workers fine-tune the LLM only");
    }

    @Test
    void theWorkersAreReadFromTheVariablesAPyTorchJobSets() {
        assertThat(TrainingWorkers.fromEnv(Map.of())).isEqualTo(TrainingWorkers.ALONE);
        assertThat(TrainingWorkers.fromEnv(Map.of("WORLD_SIZE", "1", "RANK", "0"))).isEqualTo(TrainingWorkers.ALONE);
        TrainingWorkers worker = TrainingWorkers.fromEnv(Map.of("WORLD_SIZE", "3", "RANK", "2",
                "MASTER_ADDR", "im-train-v1-master-0", "MASTER_PORT", "23456"));
        assertThat(worker.first()).isFalse();
        assertThat(worker.env()).containsEntry("RANK", "2").containsEntry("WORLD_SIZE", "3")
                .containsEntry("MASTER_ADDR", "im-train-v1-master-0").containsEntry("MASTER_PORT", "23456");
        assertThat(TrainingWorkers.ALONE.env()).isEmpty();
        for (Map<String, String> bad : List.of(Map.of("WORLD_SIZE", "2", "RANK", "2", "MASTER_ADDR", "m",
                "MASTER_PORT", "1"), Map.of("WORLD_SIZE", "2", "RANK", "1"), Map.of("WORLD_SIZE", "two"))) {
            assertThatThrownBy(() -> TrainingWorkers.fromEnv(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching(".*(RANK|MASTER_ADDR|WORLD_SIZE).*");
        }
    }
}
