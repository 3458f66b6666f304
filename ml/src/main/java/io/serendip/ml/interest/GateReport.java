package io.serendip.ml.interest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality gates of a novel-interest generator, as in the paper: the share of unconstrained generations that
 * exactly match a cluster description, the share of constrained results that are valid novel clusters, and
 * test recall (the top prediction appears in the user's later history), with baselines beside it.
 *
 * @param baselineRecall recall of each baseline on the same cases, by name
 */
public record GateReport(int cases, double exactMatchRate, double constrainedValidRate, double testRecall,
                         Map<String, Double> baselineRecall) {

    public static final double MIN_EXACT_MATCH_RATE = 0.90;
    public static final double MIN_CONSTRAINED_VALID_RATE = 1.0;
    public static final double MIN_TEST_RECALL = 0.015;

    public GateReport {
        baselineRecall = Map.copyOf(baselineRecall);
    }

    /** Human-readable reasons the gates failed; empty when all pass. */
    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (cases == 0) {
            failures.add("no test cases to evaluate");
        }
        if (exactMatchRate < MIN_EXACT_MATCH_RATE) {
            failures.add(String.format("exact-match rate %.4f < %.2f", exactMatchRate, MIN_EXACT_MATCH_RATE));
        }
        if (constrainedValidRate < MIN_CONSTRAINED_VALID_RATE) {
            failures.add(String.format("constrained valid-cluster rate %.4f < %.2f", constrainedValidRate,
                    MIN_CONSTRAINED_VALID_RATE));
        }
        if (testRecall < MIN_TEST_RECALL) {
            failures.add(String.format("test recall %.4f < %.3f", testRecall, MIN_TEST_RECALL));
        }
        return failures;
    }

    public boolean passed() {
        return failures().isEmpty();
    }

    /** Metrics for the artifact manifest and reports. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("gate_cases", (double) cases);
        metrics.put("exact_match_rate", exactMatchRate);
        metrics.put("constrained_valid_rate", constrainedValidRate);
        metrics.put("test_recall", testRecall);
        baselineRecall.forEach((name, recall) -> metrics.put("baseline_recall_" + name, recall));
        return metrics;
    }

    /**
     * One line of JSON with the gate numbers, whether they passed and why not: what a training Job leaves in its
     * termination message for the operator to put in the model's status (the kubelet keeps up to 4 KiB).
     */
    public String toJson() {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("passed", passed());
        json.put("cases", cases);
        json.put("exactMatchRate", exactMatchRate);
        json.put("validRate", constrainedValidRate);
        json.put("recall", testRecall);
        ObjectNode baselines = json.putObject("baselineRecall");
        baselineRecall.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> baselines.put(e.getKey(), e.getValue()));
        failures().forEach(json.putArray("failures")::add);
        return json.toString();
    }

    /** Writes {@link #toJson()} to {@code file} (e.g. /dev/termination-log). */
    public void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(String.format(
                "cases %d | exact-match %.4f (gate >= %.2f) | constrained valid %.4f (gate = 1) | test recall %.4f (gate >= %.3f)",
                cases, exactMatchRate, MIN_EXACT_MATCH_RATE, constrainedValidRate, testRecall, MIN_TEST_RECALL));
        baselineRecall.forEach((name, recall) -> text.append(String.format(" | %s recall %.4f", name, recall)));
        return text.toString();
    }
}
