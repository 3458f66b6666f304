package io.serendip.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String result(String benchmark, String params, String unit, double score, String rawData) {
        return """
                {"jmhVersion": "1.37", "benchmark": "io.serendip.bench.%s", "mode": "avgt", "forks": 2,
                 "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "17.0.15", "warmupIterations": 5,
                 "warmupTime": "1 s", "measurementIterations": 3, "measurementTime": "1 s", "params": %s,
                 "primaryMetric": {"score": %s, "scoreError": 1.5, "scoreUnit": "%s", "rawData": %s}}
                """.formatted(benchmark, params, score, unit, rawData);
    }

    private static JsonNode run(double fullMedian, double restrictedMedian) throws Exception {
        return JSON.readTree("[" + result("ScoringBenchmark.fullCatalog", "{\"k\": \"10\"}", "us/op", 999,
                "[[%s, 1.0, 9999.0], [%s, 20000.0, 0.5]]".formatted(fullMedian, fullMedian))
                + "," + result("ScoringBenchmark.restricted", "{\"k\": \"10\"}", "us/op", 999,
                "[[%s, %s, 1.0]]".formatted(restrictedMedian, restrictedMedian + 1))
                + "," + result("NoveltyLookupBenchmark.lookup", "{\"clusters\": \"50\"}", "ns/op", 40.25,
                "[[40.0, 40.5]]") + "]");
    }

    @Test
    void mediansCoverEveryForkAndIteration() throws Exception {
        var rows = ResultsTable.rows(run(1000, 50));
        assertThat(rows).extracting(ResultsTable.Row::benchmark)
                .containsExactly("ScoringBenchmark.fullCatalog", "ScoringBenchmark.restricted", "NoveltyLookupBenchmark.lookup");
        assertThat(rows.get(0).median()).isEqualTo(1000);
        assertThat(rows.get(0).samples()).isEqualTo(6);
        assertThat(rows.get(1).median()).isEqualTo(50);
        assertThat(rows.get(2).median()).isEqualTo(40.25);
        assertThat(rows.get(2).params()).isEqualTo("clusters=50");
    }

    @Test
    void ratioOfTheMediansIsJudgedAgainstTheTarget() throws Exception {
        String met = ResultsTable.markdown(run(1000, 50));
        assertThat(met).contains("JMH 1.37, OpenJDK 64-Bit Server VM 17.0.15, forks 2")
                .contains("| ScoringBenchmark.fullCatalog | k=10 | 1,000 | 999 ± 1.50 | us/op | 6 |")
                .contains("| restricted vs full-catalog retrieval | 0.0500 | 20.0x | >= 10x: met |");
        assertThat(ResultsTable.markdown(run(1000, 200))).contains("| 0.2000 | 5.0x | >= 10x: not met |");
    }

    @Test
    void theScalarKernelIsComparedWithTheVectorKernelOfTheSameRun() throws Exception {
        JsonNode vectorOnly = run(100, 10);
        assertThat(ResultsTable.markdown(vectorOnly)).doesNotContain("scoring kernel");
        JsonNode both = JSON.readTree(vectorOnly.toString().replaceFirst("\\]$", ",")
                + result("ScalarScoringBenchmark.fullCatalog", "{\"k\": \"10\"}", "us/op", 999, "[[400.0, 400.0]]") + ","
                + result("ScalarScoringBenchmark.restricted", "{\"k\": \"10\"}", "us/op", 999, "[[15.0, 15.0]]") + "]");
        assertThat(ResultsTable.markdown(both))
                .contains("| full catalog | 400 us/op | 100 us/op | 4.00x |")
                .contains("| restricted | 15.0 us/op | 10.0 us/op | 1.50x |");
    }

    @Test
    void emptyMeasurementsAreRefused() {
        assertThatThrownBy(() -> ResultsTable.median(new double[0])).hasMessageContaining("no measurement iterations");
    }
}
