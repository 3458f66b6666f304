package io.serendip.operator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serendip.operator.api.ExplorationExperiment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads one {@code GET /v1/stats} JSON (cumulative per-arm counters) at the URL an experiment names
 * ({@code guardrails.metrics.statsUrl}, e.g. an aggregator); without one the operator reads every router
 * replica itself ({@link RouterReplicas}).
 */
public final class RouterStatsSource implements MetricsSource {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;

  public RouterStatsSource(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /** The stats URL the experiment names ({@code guardrails.metrics.statsUrl}). */
  static String statsUrl(ExplorationExperiment xp) {
    return xp.getSpec().guardrails.metrics.statsUrl;
  }

  @Override
  public Map<String, ArmCounters> read(ExplorationExperiment xp) throws MetricsUnavailableException {
    String url = statsUrl(xp);
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new MetricsUnavailableException(url + " answered HTTP " + response.statusCode());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new MetricsUnavailableException("cannot read " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsUnavailableException("interrupted reading " + url, e);
    }
  }

  static Map<String, ArmCounters> parse(String body) throws MetricsUnavailableException {
    return parse(tree(body));
  }

  static JsonNode tree(String body) throws MetricsUnavailableException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new MetricsUnavailableException("stats are not JSON: " + e.getMessage(), e);
    }
  }

  static Map<String, ArmCounters> parse(JsonNode stats) throws MetricsUnavailableException {
    JsonNode arms = stats.path("arms");
    if (!arms.isObject()) {
      throw new MetricsUnavailableException("stats have no arms object");
    }
    Map<String, ArmCounters> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = arms.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode a = e.getValue();
      out.put(e.getKey(), new ArmCounters(
          a.path("requests").asLong(), a.path("errors").asLong(), a.path("impressions").asLong(),
          a.path("explorationImpressions").asLong(), a.path("positiveFeedback").asLong(),
          a.path("exploredPositiveFeedback").asLong(), a.path("exploredNovel").asLong(),
          a.path("assignedUsers").asLong()));
    }
    return out;
  }
}
