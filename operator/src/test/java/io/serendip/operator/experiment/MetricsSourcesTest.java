package io.serendip.operator.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both metrics sources against a real HTTP server on a local socket, and the Prometheus window arithmetic. */
class MetricsSourcesTest {
  private static final String STATS = """
      {"experiment":"quickstart","startedAt":"2026-11-22T21:00:00Z","arms":{
        "control":{"requests":1200,"errors":3,"fallbacks":0,"impressions":9000,"explorationImpressions":0,
                   "positiveFeedback":400,"exploredPositiveFeedback":0,"exploredNovel":0,
                   "latencyMs":{"p50":1.2,"p99":6.0}},
        "explore":{"requests":1100,"errors":2,"fallbacks":1,"impressions":8800,"explorationImpressions":1700,
                   "positiveFeedback":390,"exploredPositiveFeedback":80,"exploredNovel":1500,
                   "latencyMs":{"p50":1.3,"p99":6.5}}}}""";
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;
  private volatile int prometheusStatus = 200;
  private volatile String prometheusAnswer = "{}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/stats", ex -> reply(ex, 200, STATS));
    server.createContext("/broken", ex -> reply(ex, 500, "{}"));
    server.createContext("/api/v1/query", ex -> {
      Map<String, String> params = new HashMap<>();
      for (String pair : ex.getRequestURI().getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
      queries.add(params.get("query") + (params.containsKey("time") ? " @" + params.get("time") : ""));
      reply(ex, prometheusStatus, prometheusAnswer);
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void routerStatsAreReadIntoCounters() throws Exception {
    Map<String, ArmCounters> counters = new RouterStatsSource(http, Duration.ofSeconds(2)).read(experiment(base + "/v1/stats", null));
    assertThat(counters).containsOnlyKeys("control", "explore");
    assertThat(counters.get("explore")).isEqualTo(new ArmCounters(1100, 2, 8800, 1700, 390, 80, 1500));
    assertThat(counters.get("control").errorRate()).isEqualTo(3.0 / 1200);
  }

  @Test
  void routerStatsErrorsAreUnavailableNotExceptions() {
    assertThatThrownBy(() -> new RouterStatsSource(http, Duration.ofSeconds(2)).read(experiment(base + "/broken", null)))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class)
        .hasMessageContaining("HTTP 500");
    assertThatThrownBy(() -> new RouterStatsSource(http, Duration.ofSeconds(2))
        .read(experiment("http://127.0.0.1:1/v1/stats", null)))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class)
        .hasMessageContaining("cannot read");
  }

  @Test
  void prometheusReadsEveryCounterByArmInOneQuery() throws Exception {
    prometheusAnswer = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + sum("serendip_router_requests_total", "control", "1000") + ","
        + sum("serendip_router_requests_total", "explore", "1001") + ","
        + sum("serendip_router_errors_total", "control", "7") + ","
        + sum("serendip_router_assigned_users_total", "explore", "8") + "]}}";
    var registry = new SimpleMeterRegistry();
    Map<String, ArmCounters> counters = new PrometheusSource(http, Duration.ofSeconds(2), registry)
        .read(experiment(null, base + "/"));
    assertThat(counters.get("control")).isEqualTo(new ArmCounters(1000, 7, 0, 0, 0, 0, 0, 0));
    assertThat(counters.get("explore")).isEqualTo(new ArmCounters(1001, 0, 0, 0, 0, 0, 0, 8));
    assertThat(queries).containsExactly("sum by (arm, __name__) ({__name__=~\"" + String.join("|", PrometheusSource.COUNTERS)
        + "\",experiment=\"quickstart\",namespace=\"demo\"})");
    assertThat(registry.get("serendip.operator.prometheus.reads").tag("outcome", "ok").counter().count()).isEqualTo(1);
  }

  @Test
  void prometheusReadsAreCountedInTheRegistryTheOperatorExports() throws Exception {
    prometheusAnswer = matrix();
    var exported = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(exported); // as OperatorMain does with its /metrics registry
    try {
      Instant now = Instant.now();
      new PrometheusSource(http, Duration.ofSeconds(2)).readSince(experiment(null, base), now.minusSeconds(30), now);
      assertThat(exported.scrape()).contains("serendip_operator_prometheus_reads_total{outcome=\"ok\"} 1.0");
    } finally {
      Metrics.removeRegistry(exported);
    }
  }

  @Test
  void prometheusReadsARangesRawSamplesInOneQueryAtItsEnd() throws Exception {
    Instant now = Instant.parse("2026-12-04T12:00:00.250Z");
    double t = now.toEpochMilli() / 1000.0;
    prometheusAnswer = matrix(
        series("serendip_router_requests_total", "control", "10.0.0.1:8080", t - 100, "50", t - 60, "70", t, "90"),
        series("serendip_router_requests_total", "control", "10.0.0.2:8080", t - 30, "5"),
        series("serendip_router_impressions_total", "explore", "10.0.0.1:8080", t - 95, "3", t - 1, "11"));
    Map<String, ArmCounters> counters = new PrometheusSource(http, Duration.ofSeconds(2))
        .readSince(experiment(null, base), now.minusSeconds(90), now);
    assertThat(counters.get("control")).isEqualTo(new ArmCounters(45, 0, 0, 0, 0, 0, 0, 0));
    assertThat(counters.get("explore")).isEqualTo(new ArmCounters(0, 0, 8, 0, 0, 0, 0, 0));
    assertThat(queries).containsExactly("{__name__=~\"" + String.join("|", PrometheusSource.COUNTERS)
        + "\",experiment=\"quickstart\",namespace=\"demo\"}[390000ms] @1796385600.250");
  }

  @Test
  void aWindowCountsEachSeriesFromItsLastSampleBeforeTheStartAndAResetAsItsNewValue() {
    Instant since = Instant.ofEpochSecond(1000);
    Instant now = Instant.ofEpochSecond(1100);
    List<PrometheusSource.Series> series = List.of(
        // samples before since only set the base; the one at since itself too
        requests("a", new long[] {900, 990, 1000, 1010, 1050}, 400, 450, 500, 520, 600),
        // restarted inside the window: 600 -> 30 counts 30, then 30 -> 45 counts 15
        requests("a", new long[] {995, 1020, 1030, 1040}, 560, 600, 30, 45),
        // born inside the window (no sample at or before since): everything from zero
        requests("b", new long[] {1060, 1070}, 12, 20),
        // samples after now are not counted
        requests("b", new long[] {999, 1090, 1101, 1200}, 0, 4, 9, 100));
    Map<String, ArmCounters> counted = PrometheusSource.counted(series, since, now);
    assertThat(counted.get("a").requests()).isEqualTo(100 + 40 + 30 + 15);
    assertThat(counted.get("b").requests()).isEqualTo(20 + 4);
    assertThat(counted.get("a").errors()).isZero();
  }

  @Test
  void aWindowWithoutGrowthCountsNothingAndAnEmptyAnswerNoArm() {
    Instant since = Instant.ofEpochSecond(1000);
    assertThat(PrometheusSource.counted(List.of(requests("a", new long[] {900, 1000}, 7, 7)), since, since.plusSeconds(60))
        .get("a")).isEqualTo(ArmCounters.ZERO);
    assertThat(PrometheusSource.counted(List.of(), since, since.plusSeconds(60))).isEmpty();
  }

  @Test
  void aMatrixAnswerIsParsedIntoSeries() throws Exception {
    List<PrometheusSource.Series> series = PrometheusSource.parseSeries(matrix(
        series("serendip_router_explored_novel_total", "explore", "i", 1000.5, "3", 1001.5, "4.0")));
    assertThat(series).hasSize(1);
    assertThat(series.get(0).counter()).isEqualTo(6);
    assertThat(series.get(0).arm()).isEqualTo("explore");
    assertThat(series.get(0).millis()).containsExactly(1_000_500, 1_001_500);
    assertThat(series.get(0).values()).containsExactly(3.0, 4.0);
  }

  @Test
  void malformedPrometheusAnswersAreUnavailableNeverCounted() {
    String ok = series("serendip_router_requests_total", "control", "i", 1000, "1");
    Map<String, String> answers = new java.util.LinkedHashMap<>();
    answers.put("<html>proxy error</html>", "not JSON");
    answers.put("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}", "bad_data parse error");
    answers.put("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", "expected matrix");
    answers.put(matrix(ok, series("serendip_router_requests_total", "control", "i", 1000, "many")), "not a count");
    answers.put(matrix(series("serendip_router_requests_total", "control", "i", 1000, "NaN")), "not a count");
    answers.put(matrix(series("serendip_router_requests_total", "control", "i", 1000, "-1")), "not a count");
    answers.put(matrix(ok.replace("\"arm\":\"control\",", "")), "no arm label");
    answers.put(matrix(ok.replace("\"__name__\":\"serendip_router_requests_total\",", "")), "not a router counter");
    answers.put(matrix(ok.replace("[1000.0,\"1\"]", "[\"1000\",\"1\"]")), "malformed sample");
    answers.put(matrix(ok.replace("\"values\"", "\"value\"")), "has no values");
    answers.put(matrix(series("serendip_router_requests_total", "control", "i", 1001, "1", 1000, "2")), "out of time order");
    answers.forEach((body, message) -> assertThatThrownBy(() -> PrometheusSource.parseSeries(body))
        .as(body).isInstanceOf(MetricsSource.MetricsUnavailableException.class).hasMessageContaining(message));
    assertThatThrownBy(() -> PrometheusSource.parseSums("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[{\"metric\":{\"arm\":\"control\"},\"value\":[1000.0,\"1\"]}]}}"))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class).hasMessageContaining("not a router counter");
  }

  @Test
  void prometheusRefusalsAreUnavailableWithTheirReasonAndCounted() {
    prometheusStatus = 400;
    prometheusAnswer = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter\"}";
    var registry = new SimpleMeterRegistry();
    var source = new PrometheusSource(http, Duration.ofSeconds(2), registry);
    Instant now = Instant.now();
    assertThatThrownBy(() -> source.readSince(experiment(null, base), now.minusSeconds(60), now))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class)
        .hasMessageContaining("HTTP 400").hasMessageContaining("invalid parameter");
    prometheusStatus = 200;
    prometheusAnswer = "not json";
    assertThatThrownBy(() -> source.read(experiment(null, base)))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> source.read(experiment(null, "http://127.0.0.1:1")))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class).hasMessageContaining("cannot query Prometheus");
    assertThat(registry.get("serendip.operator.prometheus.reads").tag("outcome", "unavailable").counter().count())
        .isEqualTo(3);
  }

  private static PrometheusSource.Series requests(String arm, long[] seconds, double... values) {
    return new PrometheusSource.Series(0, arm, java.util.Arrays.stream(seconds).map(s -> s * 1000).toArray(), values);
  }

  private static String sum(String name, String arm, String value) {
    return "{\"metric\":{\"__name__\":\"" + name + "\",\"arm\":\"" + arm + "\"},\"value\":[1732300000.0,\""
        + value + "\"]}";
  }

  /** One series of a matrix answer: time, value, time, value, ... */
  private static String series(String name, String arm, String instance, Object... samples) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < samples.length; i += 2) {
      values.append(i == 0 ? "" : ",").append("[").append(((Number) samples[i]).doubleValue()).append(",\"")
          .append(samples[i + 1]).append("\"]");
    }
    return "{\"metric\":{\"__name__\":\"" + name + "\",\"arm\":\"" + arm + "\",\"experiment\":\"quickstart\","
        + "\"instance\":\"" + instance + "\",\"namespace\":\"demo\"},\"values\":[" + values + "]}";
  }

  private static String matrix(String... series) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + String.join(",", series) + "]}}";
  }

  private static ExplorationExperiment experiment(String statsUrl, String prometheusUrl) {
    var xp = new ExplorationExperiment();
    xp.setMetadata(new ObjectMetaBuilder().withName("quickstart").withNamespace("demo").build());
    var spec = new ExplorationExperimentSpec();
    spec.guardrails = new ExplorationExperimentSpec.Guardrails();
    spec.guardrails.metrics = new ExplorationExperimentSpec.MetricsSource();
    spec.guardrails.metrics.statsUrl = statsUrl;
    spec.guardrails.metrics.prometheusUrl = prometheusUrl;
    xp.setSpec(spec);
    return xp;
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
