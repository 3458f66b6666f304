package io.serendip.operator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serendip.operator.api.ExplorationExperiment;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the same counters from Prometheus with instant queries such as
 * {@code sum by (arm) (serendip_router_requests_total{experiment="x",namespace="ns"})}, summing over
 * router replicas.
 */
public final class PrometheusSource implements MetricsSource {
  /** Counter names as the router exports them, in {@link ArmCounters} order. */
  static final String[] COUNTERS = {
    "serendip_router_requests_total",
    "serendip_router_errors_total",
    "serendip_router_impressions_total",
    "serendip_router_exploration_impressions_total",
    "serendip_router_positive_feedback_total",
    "serendip_router_explored_positive_feedback_total",
    "serendip_router_explored_novel_total"
  };
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;

  public PrometheusSource(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  static String query(String counter, ExplorationExperiment xp) {
    return "sum by (arm) (" + counter + "{experiment=\"" + xp.getMetadata().getName()
        + "\",namespace=\"" + xp.getMetadata().getNamespace() + "\"})";
  }

  @Override
  public Map<String, ArmCounters> read(ExplorationExperiment xp) throws MetricsUnavailableException {
    String base = xp.getSpec().guardrails.metrics.prometheusUrl;
    Map<String, long[]> values = new HashMap<>();
    for (int i = 0; i < COUNTERS.length; i++) {
      String url = base.replaceAll("/+$", "") + "/api/v1/query?query="
          + URLEncoder.encode(query(COUNTERS[i], xp), StandardCharsets.UTF_8);
      for (var sample : samples(url).entrySet()) {
        values.computeIfAbsent(sample.getKey(), k -> new long[COUNTERS.length])[i] = sample.getValue();
      }
    }
    Map<String, ArmCounters> out = new HashMap<>();
    values.forEach((arm, v) -> out.put(arm, new ArmCounters(v[0], v[1], v[2], v[3], v[4], v[5], v[6])));
    return out;
  }

  private Map<String, Long> samples(String url) throws MetricsUnavailableException {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new MetricsUnavailableException("Prometheus answered HTTP " + response.statusCode() + " for " + url);
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new MetricsUnavailableException("cannot query Prometheus at " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsUnavailableException("interrupted querying Prometheus", e);
    }
  }

  /** Parses an instant-vector answer into arm label -> value. */
  static Map<String, Long> parse(String body) throws MetricsUnavailableException {
    try {
      JsonNode root = JSON.readTree(body);
      if (!"success".equals(root.path("status").asText())) {
        throw new MetricsUnavailableException("Prometheus query failed: " + root.path("error").asText());
      }
      Map<String, Long> out = new HashMap<>();
      for (JsonNode r : root.path("data").path("result")) {
        String arm = r.path("metric").path("arm").asText(null);
        if (arm != null) {
          out.put(arm, (long) Double.parseDouble(r.path("value").path(1).asText("0")));
        }
      }
      return out;
    } catch (IOException | NumberFormatException e) {
      throw new MetricsUnavailableException("unreadable Prometheus answer: " + e.getMessage(), e);
    }
  }
}
