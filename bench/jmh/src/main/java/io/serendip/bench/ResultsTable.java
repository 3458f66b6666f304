package io.serendip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns a JMH JSON result file into Markdown: one row per benchmark and parameter set with the median of all
 * measurement iterations (every fork), the mean with its 99.9% interval, and the restricted/full retrieval ratio
 * from the same run.
 *
 * <p>{@code java -cp benchmarks.jar io.serendip.bench.ResultsTable results.json}
 */
public final class ResultsTable {
    static final String FULL = "ScoringBenchmark.fullCatalog";
    static final String RESTRICTED = "ScoringBenchmark.restricted";
    static final String SCALAR_FULL = "ScalarScoringBenchmark.fullCatalog";
    static final String SCALAR_RESTRICTED = "ScalarScoringBenchmark.restricted";
    /** The retrieval target: restricted at least this many times faster than full-catalog scoring. */
    static final double TARGET_SPEEDUP = 10.0;

    /** One benchmark and parameter set of a run. */
    record Row(String benchmark, String params, String unit, double median, double mean, double error, int samples) {
    }

    private ResultsTable() {
    }

    static List<Row> rows(JsonNode results) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode result : results) {
            String name = result.get("benchmark").asText();
            String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringJoiner params = new StringJoiner(", ");
            JsonNode paramNode = result.path("params");
            for (Iterator<Map.Entry<String, JsonNode>> it = paramNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.add(p.getKey() + "=" + p.getValue().asText());
            }
            JsonNode metric = result.get("primaryMetric");
            double[] samples = flatten(metric.get("rawData"));
            rows.add(new Row(shortName, params.toString(), metric.get("scoreUnit").asText(), median(samples),
                    metric.get("score").asDouble(), metric.get("scoreError").asDouble(), samples.length));
        }
        return rows;
    }

    static double[] flatten(JsonNode rawData) {
        List<Double> values = new ArrayList<>();
        for (JsonNode fork : rawData) {
            for (JsonNode iteration : fork) {
                values.add(iteration.asDouble());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurement iterations in the result file");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static String markdown(JsonNode results) {
        List<Row> rows = rows(results);
        StringBuilder out = new StringBuilder();
        JsonNode first = results.get(0);
        out.append(String.format("JMH %s, %s %s, forks %d, warm-up %d x %s, measurement %d x %s%n%n",
                first.path("jmhVersion").asText(), first.path("vmName").asText(), first.path("vmVersion").asText(),
                first.path("forks").asInt(), first.path("warmupIterations").asInt(), first.path("warmupTime").asText(),
                first.path("measurementIterations").asInt(), first.path("measurementTime").asText()));
        out.append("| benchmark | params | median | mean ± 99.9% CI | unit | iterations |\n");
        out.append("| --- | --- | ---: | ---: | --- | ---: |\n");
        for (Row r : rows) {
            out.append(String.format("| %s | %s | %s | %s ± %s | %s | %d |%n", r.benchmark(), r.params(),
                    number(r.median()), number(r.mean()), number(r.error()), r.unit(), r.samples()));
        }
        Row full = find(rows, FULL);
        Row restricted = find(rows, RESTRICTED);
        if (full != null && restricted != null && full.unit().equals(restricted.unit())) {
            double ratio = restricted.median() / full.median();
            double speedup = full.median() / restricted.median();
            out.append(String.format("%n| ratio (medians, same run) | restricted / full | speed-up | target |%n"));
            out.append("| --- | ---: | ---: | --- |\n");
            out.append(String.format("| restricted vs full-catalog retrieval | %.4f | %.1fx | >= %.0fx: %s |%n", ratio,
                    speedup, TARGET_SPEEDUP, speedup >= TARGET_SPEEDUP ? "met" : "not met"));
        }
        Row scalarFull = find(rows, SCALAR_FULL);
        Row scalarRestricted = find(rows, SCALAR_RESTRICTED);
        if (scalarFull != null && full != null) {
            out.append(String.format("%n| scoring kernel (medians, same run) | scalar Java | Vector API | speed-up |%n"));
            out.append("| --- | ---: | ---: | ---: |\n");
            out.append(kernelRow("full catalog", scalarFull, full));
            if (scalarRestricted != null && restricted != null) {
                out.append(kernelRow("restricted", scalarRestricted, restricted));
            }
        }
        return out.toString();
    }

    private static String kernelRow(String name, Row scalar, Row vector) {
        return String.format("| %s | %s %s | %s %s | %.2fx |%n", name, number(scalar.median()), scalar.unit(),
                number(vector.median()), vector.unit(), scalar.median() / vector.median());
    }

    private static Row find(List<Row> rows, String benchmark) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark)).findFirst().orElse(null);
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.3g", value);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResultsTable <jmh-result.json>");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        if (!results.isArray() || results.isEmpty()) {
            System.err.println(args[0] + ": not a JMH JSON result array (or no benchmark ran)");
            System.exit(1);
        }
        System.out.print(markdown(results));
    }
}
