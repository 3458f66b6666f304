package io.serendip.ml.interest.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The typed requests that the Java jobs hand to the LLM component ({@code python -m serendip_llm train|propose
 * --request FILE}) and the rows it answers with. Java owns this contract; {@code llm/src/serendip_llm/contract.py}
 * validates every field of it (docs/formats.md, "LLM job requests").
 */
public final class LlmRequests {
    static final ObjectMapper JSON = new ObjectMapper();

    private LlmRequests() {
    }

    /** A base model and the digest it must have (null: computed and recorded by the component). */
    public record BaseRef(String path, String sha256) {
    }

    public record Example(String prompt, String answer) {
    }

    public record Lora(int rank, double alpha, double dropout, List<String> targetModules) {
    }

    /** {@code checkpoint}: where the component keeps its state to resume from (null: none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Train(BaseRef base, List<Example> examples, List<Example> validation, Lora lora, int epochs,
                        int batchSize, double learningRate, long seed, int threads, String output,
                        String checkpoint) {
    }

    /** One history to propose for: its prompt and the candidate indexes it must not get (its own clusters). */
    public record ProposeRow(String prompt, int[] exclude) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Propose(BaseRef base, String adapter, List<String> candidates, List<ProposeRow> requests,
                          int proposals, int beamWidth, boolean unconstrained, int maxNewTokens, int batchSize,
                          int threads, String output, String quantization) {
    }

    /** One answer row of {@code propose}: candidate indexes best first, their log-probabilities, the greedy text. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proposal(int[] clusters, double[] scores, String text) {
    }

    /** What {@code train} reports in {@code training.json} beside the adapter. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TrainingReport(String baseSha256, int examples, double seconds, List<EpochReport> epochs) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EpochReport(int epoch, double trainLoss, Double validationLoss) {
    }

    static void write(Path file, Object request) throws IOException {
        JSON.writeValue(file.toFile(), request);
    }
}
