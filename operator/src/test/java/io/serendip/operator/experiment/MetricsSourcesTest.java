package io.serendip.operator.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both metrics sources against a real HTTP server on a local socket. */
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

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/stats", ex -> reply(ex, 200, STATS));
    server.createContext("/broken", ex -> reply(ex, 500, "{}"));
    server.createContext("/api/v1/query", ex -> {
      String q = URLDecoder.decode(ex.getRequestURI().getRawQuery().substring("query=".length()), StandardCharsets.UTF_8);
      queries.add(q);
      long value = q.contains("serendip_router_requests_total") ? 1000 : 7;
      reply(ex, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
          + "{\"metric\":{\"arm\":\"control\"},\"value\":[1732300000.0,\"" + value + "\"]},"
          + "{\"metric\":{\"arm\":\"explore\"},\"value\":[1732300000.0,\"" + (value + 1) + "\"]}]}}");
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
  void prometheusQueriesEveryCounterByArm() throws Exception {
    var xp = experiment(null, base + "/");
    Map<String, ArmCounters> counters = new PrometheusSource(http, Duration.ofSeconds(2)).read(xp);
    assertThat(counters.get("control")).isEqualTo(new ArmCounters(1000, 7, 7, 7, 7, 7, 7));
    assertThat(counters.get("explore")).isEqualTo(new ArmCounters(1001, 8, 8, 8, 8, 8, 8));
    assertThat(queries).hasSize(PrometheusSource.COUNTERS.length)
        .contains("sum by (arm) (serendip_router_requests_total{experiment=\"quickstart\",namespace=\"demo\"})");
  }

  @Test
  void prometheusErrorAnswerIsUnavailable() {
    assertThatThrownBy(() -> PrometheusSource.parse("{\"status\":\"error\",\"error\":\"bad query\"}"))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class)
        .hasMessageContaining("bad query");
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
