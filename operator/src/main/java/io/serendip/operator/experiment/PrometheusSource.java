package io.serendip.operator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.serendip.operator.api.ExplorationExperiment;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the router counters from Prometheus, one instant query per read.
 *
 * <p>{@link #read}: {@code sum by (arm, __name__) ({__name__=~"<counters>",experiment="x",namespace="ns"})}, the
 * cumulative counts summed over the scraped router processes.
 *
 * <p>{@link #readSince}: the raw samples of every counter series in the range, {@code {...}[<range>ms]} evaluated at
 * {@code now}, counted here ({@link #counted}): per series (one counter of one router process), from the last sample
 * at or before {@code since} to the last one at or before {@code now}, a drop counted as a reset (a restarted
 * process starts from zero). Exact for what was scraped, unlike {@code increase()}, which extrapolates to the range's
 * ends. The range reaches {@link #LOOKBACK} before {@code since} for each series' starting value: a series with no
 * sample in that time (a process started inside the window, or one not scraped for longer) starts from zero.
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
    "serendip_router_explored_novel_total",
    "serendip_router_assigned_users_total"
  };
  /** How far before a window's start a series' last sample is looked for. */
  static final Duration LOOKBACK = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;
  private final Counter answered;
  private final Counter unavailable;

  /** Counts its reads in Micrometer's global registry (the operator adds its /metrics registry there). */
  public PrometheusSource(HttpClient http, Duration timeout) {
    this(http, timeout, Metrics.globalRegistry);
  }

  public PrometheusSource(HttpClient http, Duration timeout, MeterRegistry registry) {
    this.http = http;
    this.timeout = timeout;
    this.answered = reads(registry, "ok");
    this.unavailable = reads(registry, "unavailable");
  }

  private static Counter reads(MeterRegistry registry, String outcome) {
    return Counter.builder("serendip.operator.prometheus.reads").tag("outcome", outcome)
        .description("Guardrail reads from Prometheus: ok, or unavailable (no answer, an error, a malformed one)")
        .register(registry);
  }

  /** Every counter series of the experiment: {@code {__name__=~"a|b|...",experiment="x",namespace="ns"}}. */
  static String selector(ExplorationExperiment xp) {
    return "{__name__=~\"" + String.join("|", COUNTERS) + "\",experiment=\"" + xp.getMetadata().getName()
        + "\",namespace=\"" + xp.getMetadata().getNamespace() + "\"}";
  }

  /** The cumulative counts per arm and counter. */
  static String sumQuery(ExplorationExperiment xp) {
    return "sum by (arm, __name__) (" + selector(xp) + ")";
  }

  /** The raw samples from {@link #LOOKBACK} before {@code since} to the evaluation time ({@code now}). */
  static String rangeQuery(ExplorationExperiment xp, Instant since, Instant now) {
    long millis = Math.max(0, Duration.between(since, now).toMillis()) + LOOKBACK.toMillis();
    return selector(xp) + "[" + millis + "ms]";
  }

  @Override
  public Map<String, ArmCounters> read(ExplorationExperiment xp) throws MetricsUnavailableException {
    return metered(() -> parseSums(get(xp, sumQuery(xp), null)));
  }

  /** What every scraped router process counted from {@code since} to {@code now}, counter resets included. */
  @Override
  public Map<String, ArmCounters> readSince(ExplorationExperiment xp, Instant since, Instant now)
      throws MetricsUnavailableException {
    return metered(() -> counted(parseSeries(get(xp, rangeQuery(xp, since, now), now)), since, now));
  }

  private interface Read {
    Map<String, ArmCounters> get() throws MetricsUnavailableException;
  }

  /** Runs a read and counts its outcome in serendip_operator_prometheus_reads_total. */
  private Map<String, ArmCounters> metered(Read read) throws MetricsUnavailableException {
    try {
      Map<String, ArmCounters> out = read.get();
      answered.increment();
      return out;
    } catch (MetricsUnavailableException e) {
      unavailable.increment();
      throw e;
    }
  }

  private String get(ExplorationExperiment xp, String promql, Instant time) throws MetricsUnavailableException {
    String url = xp.getSpec().guardrails.metrics.prometheusUrl.replaceAll("/+$", "") + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8) + (time == null ? "" : "&time=" + seconds(time));
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new MetricsUnavailableException("Prometheus answered HTTP " + response.statusCode() + " for " + promql
            + errorOf(response.body()));
      }
      return response.body();
    } catch (IOException e) {
      throw new MetricsUnavailableException("cannot query Prometheus at " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsUnavailableException("interrupted querying Prometheus", e);
    }
  }

  /** Epoch seconds with milliseconds, as the query API takes {@code time}. */
  static String seconds(Instant t) {
    long millis = t.toEpochMilli();
    return Math.floorDiv(millis, 1000) + "." + String.format("%03d", Math.floorMod(millis, 1000));
  }

  private static String errorOf(String body) {
    try {
      String error = JSON.readTree(body).path("error").asText("");
      return error.isEmpty() ? "" : ": " + error;
    } catch (IOException e) {
      return "";
    }
  }

  /** One counter of one router process: its samples in time order. */
  record Series(int counter, String arm, long[] millis, double[] values) {}

  /**
   * What the series counted in {@code (since, now]}, summed per arm: each series from its last sample at or before
   * {@code since} (zero without one), adding each later sample's growth over the one before, or its whole value
   * where it dropped (a counter reset: the process restarted).
   */
  static Map<String, ArmCounters> counted(List<Series> series, Instant since, Instant now) {
    long from = since.toEpochMilli();
    long to = now.toEpochMilli();
    Map<String, double[]> sums = new HashMap<>();
    for (Series s : series) {
      double previous = 0;
      double count = 0;
      for (int i = 0; i < s.millis().length && s.millis()[i] <= to; i++) {
        double v = s.values()[i];
        if (s.millis()[i] > from) {
          count += v >= previous ? v - previous : v;
        }
        previous = v;
      }
      sums.computeIfAbsent(s.arm(), a -> new double[COUNTERS.length])[s.counter()] += count;
    }
    return counters(sums);
  }

  private static Map<String, ArmCounters> counters(Map<String, double[]> sums) {
    Map<String, ArmCounters> out = new HashMap<>();
    sums.forEach((arm, v) -> out.put(arm, new ArmCounters(Math.round(v[0]), Math.round(v[1]), Math.round(v[2]),
        Math.round(v[3]), Math.round(v[4]), Math.round(v[5]), Math.round(v[6]), Math.round(v[7]))));
    return out;
  }

  /** Parses a range query's matrix answer into its series, each one's samples in time order. */
  static List<Series> parseSeries(String body) throws MetricsUnavailableException {
    List<Series> out = new ArrayList<>();
    for (JsonNode r : result(body, "matrix")) {
      JsonNode samples = r.path("values");
      if (!samples.isArray()) {
        throw new MetricsUnavailableException("Prometheus series " + r.path("metric") + " has no values");
      }
      long[] millis = new long[samples.size()];
      double[] values = new double[samples.size()];
      for (int i = 0; i < samples.size(); i++) {
        millis[i] = timeOf(samples.get(i), r);
        values[i] = valueOf(samples.get(i), r);
        if (i > 0 && millis[i] <= millis[i - 1]) {
          throw new MetricsUnavailableException("Prometheus series " + r.path("metric") + " is out of time order");
        }
      }
      out.add(new Series(counterOf(r), armOf(r), millis, values));
    }
    return out;
  }

  /** Parses the sum query's vector answer into counters per arm. */
  static Map<String, ArmCounters> parseSums(String body) throws MetricsUnavailableException {
    Map<String, double[]> sums = new HashMap<>();
    for (JsonNode r : result(body, "vector")) {
      timeOf(r.path("value"), r);
      sums.computeIfAbsent(armOf(r), a -> new double[COUNTERS.length])[counterOf(r)] += valueOf(r.path("value"), r);
    }
    return counters(sums);
  }

  private static JsonNode result(String body, String type) throws MetricsUnavailableException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new MetricsUnavailableException("Prometheus answer is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !"success".equals(root.path("status").asText())) {
      throw new MetricsUnavailableException("Prometheus query failed: "
          + (root == null ? "empty answer" : root.path("errorType").asText("") + " " + root.path("error").asText("")));
    }
    String actual = root.path("data").path("resultType").asText("");
    JsonNode result = root.path("data").path("result");
    if (!type.equals(actual) || !result.isArray()) {
      throw new MetricsUnavailableException("Prometheus answered a result of type '" + actual + "', expected " + type);
    }
    return result;
  }

  private static String armOf(JsonNode r) throws MetricsUnavailableException {
    JsonNode arm = r.path("metric").path("arm");
    if (!arm.isTextual() || arm.asText().isEmpty()) {
      throw new MetricsUnavailableException("Prometheus series " + r.path("metric") + " has no arm label");
    }
    return arm.asText();
  }

  private static int counterOf(JsonNode r) throws MetricsUnavailableException {
    String name = r.path("metric").path("__name__").asText("");
    for (int i = 0; i < COUNTERS.length; i++) {
      if (COUNTERS[i].equals(name)) {
        return i;
      }
    }
    throw new MetricsUnavailableException("Prometheus series " + r.path("metric") + " is not a router counter");
  }

  /** A sample {@code [<epoch seconds>, "<value>"]}'s time in milliseconds. */
  private static long timeOf(JsonNode sample, JsonNode r) throws MetricsUnavailableException {
    JsonNode t = sample.path(0);
    if (!sample.isArray() || sample.size() != 2 || !t.isNumber()) {
      throw new MetricsUnavailableException("Prometheus series " + r.path("metric") + " has a malformed sample "
          + sample);
    }
    return Math.round(t.asDouble() * 1000);
  }

  private static double valueOf(JsonNode sample, JsonNode r) throws MetricsUnavailableException {
    JsonNode v = sample.path(1);
    double value;
    try {
      value = v.isTextual() ? Double.parseDouble(v.asText()) : Double.NaN;
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!Double.isFinite(value) || value < 0) {
      throw new MetricsUnavailableException("Prometheus series " + r.path("metric") + " has a value that is not a"
          + " count: " + v);
    }
    return value;
  }
}
