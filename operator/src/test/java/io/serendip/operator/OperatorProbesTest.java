package io.serendip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The operator's probe and metrics endpoints over a real socket. */
class OperatorProbesTest {
  @Test
  void probesFollowTheOperatorStateAndMetricsArePrometheusText() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("operator.sdk.reconciliations.success").register(registry).increment(3);
    AtomicBoolean healthy = new AtomicBoolean(false);
    var server = OperatorMain.probes(0, registry, healthy::get, healthy::get);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(503);
      healthy.set(true);
      assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(http, base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_reconciliations_success_total 3.0");
    } finally {
      server.stop(0);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
