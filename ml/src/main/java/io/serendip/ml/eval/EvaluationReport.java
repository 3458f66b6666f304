package io.serendip.ml.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Evaluation results, written as {@code report.json}, {@code report.md} and SVG charts. */
public record EvaluationReport(Map<String, Object> dataset, Map<String, Map<String, Double>> accuracy,
                               Map<String, Map<String, Double>> exploration,
                               Map<String, Map<String, Double>> slates, int[] clusterSizes,
                               List<String> clusterDescriptions, Map<String, Double> clusterQuality,
                               HeldOutNovelty.Report heldOutNovelty) {

    /** The same report with the cluster artifact's quality metrics (from its manifest) attached. */
    public EvaluationReport withClusterQuality(Map<String, Double> quality) {
        return new EvaluationReport(dataset, accuracy, exploration, slates, clusterSizes, clusterDescriptions,
                Map.copyOf(quality), heldOutNovelty);
    }

    /** The same report with the comparison of novelty sources on held-out users attached. */
    public EvaluationReport withHeldOutNovelty(HeldOutNovelty.Report comparison) {
        return new EvaluationReport(dataset, accuracy, exploration, slates, clusterSizes, clusterDescriptions,
                clusterQuality, comparison);
    }

    public static final String JSON_FILE = "report.json";
    public static final String MARKDOWN_FILE = "report.md";
    public static final String SIZES_CHART = "cluster-sizes.svg";
    public static final String RECALL_CHART = "novel-recall.svg";
    public static final String SLATE_CHART = "accuracy-vs-exploration.svg";

    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", dataset);
        json.put("accuracy", accuracy);
        json.put("exploration", exploration);
        json.put("slates", slates);
        json.put("clusterQuality", new java.util.TreeMap<>(clusterQuality));
        if (heldOutNovelty != null) {
            json.put("heldOutNovelty", heldOutNovelty.toJson());
        }
        json.put("clusterSizes", clusterSizes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON_FILE).toFile(), json);
        Files.writeString(dir.resolve(MARKDOWN_FILE), markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SIZES_CHART), SvgCharts.sortedBars("Cluster sizes (items per cluster, largest first)",
                Arrays.stream(clusterSizes).boxed().sorted((a, b) -> b - a).mapToDouble(Integer::doubleValue).toArray()),
                StandardCharsets.UTF_8);
        Map<String, Double> recall = new LinkedHashMap<>();
        exploration.forEach((source, metrics) -> recall.put(source, metrics.get("novelRecall@1")));
        if (!slates.isEmpty()) {
            // The last scorer is the learned model when one is plugged in, else the stronger baseline.
            String model = new ArrayList<>(slates.keySet()).get(slates.size() - 1);
            Map<String, Double> hitRates = new LinkedHashMap<>();
            slates.get(model).forEach((key, value) -> {
                if (key.startsWith("HR@")) {
                    hitRates.put(key.substring(key.indexOf(' ') + 1), value);
                }
            });
            Files.writeString(dir.resolve(SLATE_CHART), SvgCharts.labelledBars(model
                    + ": HR@10 by exploration slots in a 10-item slate", hitRates), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve(RECALL_CHART), SvgCharts.labelledBars("Novel-interest recall@1 by source", recall),
                StandardCharsets.UTF_8);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation: ").append(dataset.get("name")).append("\n\n");
        md.append("| dataset | value |\n| --- | --- |\n");
        dataset.forEach((key, value) -> md.append("| ").append(key).append(" | ").append(value).append(" |\n"));
        md.append("\n## Accuracy (leave-one-out, full ranking, history items excluded)\n\n");
        md.append(table("model", accuracy));
        if (!slates.isEmpty()) {
            md.append("\n## Accuracy with exploration slots (leave-one-out test targets, 10-item slates)\n\n"
                    + "`explore=e`: e slots hold the model's best unseen item from each of the top-e novel clusters "
                    + "(transition frequency over the training sequences, k = ").append(dataset.get("k"))
                    .append("), the other 10 - e slots its best items overall.\n\n");
            md.append(table("model", slates));
            md.append("\n![accuracy vs exploration](").append(SLATE_CHART).append(")\n");
        }
        md.append("\n## Exploration (chronological 80/20 split per user; k = ").append(dataset.get("k"))
                .append(", n = ").append(dataset.get("n")).append(")\n\n");
        md.append(table("novelty source", exploration));
        md.append("\nnovelRecall@1: the first proposed novel cluster appears in the user's later history; "
                + "newInterestRecall@1: the same for a first proposal outside all of the history's clusters. "
                + "exploredOutsideHistoryShare: grounded items (most popular unseen item of each proposed cluster) "
                + "whose cluster the user never engaged with before. clusterCoverage: distinct proposed clusters / "
                + "all clusters.\n\n");
        md.append("![cluster sizes](").append(SIZES_CHART).append(")\n![novel recall](").append(RECALL_CHART)
                .append(")\n\n");
        if (heldOutNovelty != null) {
            md.append("## Novel interests on held-out users (k = ").append(dataset.get("k")).append(")\n\n")
                    .append("Learned sources and transition frequency learn from the training users only; every case "
                            + "of every held-out user is scored: the top proposal for the last k distinct clusters "
                            + "counts for novelRecall@1 when the user engages with it later, and for "
                            + "newInterestRecall@1 when it is also none of the clusters the user had shown before.\n\n")
                    .append(heldOutNovelty.markdown()).append('\n');
        }
        int[] sorted = clusterSizes.clone();
        Arrays.sort(sorted);
        md.append("## Clusters\n\nsizes: min ").append(sorted[0]).append(", median ").append(sorted[sorted.length / 2])
                .append(", max ").append(sorted[sorted.length - 1]).append("\n\n");
        if (!clusterQuality.isEmpty()) {
            md.append("| quality (level.metric) | value |\n| --- | ---: |\n");
            new java.util.TreeMap<>(clusterQuality).forEach((key, value) -> md.append("| ").append(key).append(" | ")
                    .append(format(value)).append(" |\n"));
            md.append("\nbalance: normalised entropy of cluster sizes (1 = equal sizes); cohesion: mean cosine of "
                    + "items to their cluster's mean embedding direction.\n\n");
        }
        md.append("| cluster | items | description |\n| --- | --- | --- |\n");
        for (int c = 0; c < Math.min(20, clusterDescriptions.size()); c++) {
            md.append("| ").append(c).append(" | ").append(clusterSizes[c]).append(" | ")
                    .append(clusterDescriptions.get(c).replace("|", "\\|")).append(" |\n");
        }
        if (clusterDescriptions.size() > 20) {
            md.append("\n(first 20 of ").append(clusterDescriptions.size()).append(" clusters)\n");
        }
        return md.toString();
    }

    private static String table(String firstColumn, Map<String, Map<String, Double>> rows) {
        List<String> columns = new ArrayList<>();
        rows.values().forEach(metrics -> metrics.keySet().forEach(key -> {
            if (!columns.contains(key)) {
                columns.add(key);
            }
        }));
        StringBuilder md = new StringBuilder("| ").append(firstColumn).append(" |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n| --- |");
        columns.forEach(c -> md.append(" ---: |"));
        md.append('\n');
        rows.forEach((name, metrics) -> {
            md.append("| ").append(name).append(" |");
            for (String column : columns) {
                Double value = metrics.get(column);
                md.append(' ').append(value == null ? "" : format(value)).append(" |");
            }
            md.append('\n');
        });
        return md.toString();
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) >= 1 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4f", value);
    }
}
