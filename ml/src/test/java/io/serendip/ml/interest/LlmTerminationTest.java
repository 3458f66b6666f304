package io.serendip.ml.interest;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.ArtifactLayout;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.jobs.JobProcess;
import io.serendip.ml.jobs.Termination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the JVM of an LLM fine-tuning job, as the kubelet sends it to the pod's first process: the JVM passes
 * it to the LLM component, which keeps its exact state; the job exits 143 with nothing published, and the retried
 * job resumes the fine-tuning where it stopped and publishes the gated model (the real base, from llm/setup.sh).
 */
class LlmTerminationTest {
    @TempDir
    Path dir;

    JobProcess fineTune(Path output) throws Exception {
        return JobProcess.start(dir, "run-" + System.nanoTime(), List.of("train-interest-model", "--dataset",
                dir.resolve("data").toString(), "--clusters", dir.resolve("clusters").toString(), "--descriptions",
                "KEYWORDS", "--max-examples", "96", "--batch-size", "8", "--learning-rate", "0.01", "--epochs", "2",
                "--max-gate-cases", "60", "--torch-threads", "1", "--output", output.toString()));
    }

    @Test
    void theComponentGetsTheSignalKeepsItsStateAndTheRetryResumes() throws Exception {
        PlantedInterests.writeInputs(dir, 300, 5);
        Path output = dir.resolve("llm");
        Path checkpoint = Path.of(ArtifactLayout.checkpointOf(output.toString()));

        JobProcess first = fineTune(output);
        assertThat(first.awaitLog("epoch 1/2 step 4/")).as(first.log()).isTrue();
        first.process().destroy(); // SIGTERM to the JVM only
        assertThat(first.finish()).as(first.log()).isEqualTo(Termination.EXIT_CODE);
        assertThat(first.log()).contains("terminated by SIGTERM at epoch 1 step").doesNotContain("SIGSEGV");
        assertThat(checkpoint).isRegularFile();
        assertThat(output).doesNotExist();

        JobProcess retried = fineTune(output);
        assertThat(retried.finish()).as(retried.log()).isZero();
        assertThat(retried.log()).contains("resuming epoch 1/2 at step").contains("gates:");
        assertThat(output.resolve(ArtifactManifest.FILE_NAME)).isRegularFile();
        assertThat(checkpoint).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) { // no staging left, no JVM crash file
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(f -> f.startsWith("hs_err") || f.endsWith(".partial"));
        }
    }
}
