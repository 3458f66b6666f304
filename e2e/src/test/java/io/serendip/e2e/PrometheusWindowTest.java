package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec;
import io.serendip.operator.experiment.ArmCounters;
import io.serendip.operator.experiment.PrometheusSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's Prometheus guardrail source ({@link PrometheusSource}) against a real Prometheus (Debian's package,
 * {@code hack/prometheus.sh}) scraping real router processes (the runtime jar) every second: what it reads for a
 * window equals, per arm and counter, what the routers themselves counted ({@code GET /v1/stats}) in it, across a
 * router killed with SIGKILL and replaced by one on a new address, and one restarted on the same address.
 */
class PrometheusWindowTest {
  private static final String EXPERIMENT = "prom-window";
  private static final String NAMESPACE = "demo";
  private static final String SLATE =
      "{\"items\":[{\"id\":\"1\",\"explored\":false},{\"id\":\"2\",\"explored\":true,\"novel\":true}]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();
  private final List<Traffic> traffic = new ArrayList<>();
  private final Set<Integer> usedPorts = new HashSet<>();
  private HttpServer backend;
  private String prometheusUrl;
  private Path prometheusLog;

  @AfterEach
  void tearDown() throws Exception {
    for (Traffic t : traffic) {
      t.running.set(false);
      t.pool.shutdownNow();
    }
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      p.waitFor(20, TimeUnit.SECONDS);
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  @Test
  void aWindowsCountsEqualWhatTheRoutersCountedAcrossAKilledReplacedAndARestartedRouter() throws Exception {
    Instant testStart = Instant.now();
    backend = backend();
    startPrometheus();
    Router a = new Router("a", freePort());
    Router b = new Router("b", freePort());
    scrape(a, b);
    a.stats(); // the arms' counters exist (at zero) from the first stats read
    b.stats();

    // traffic before the window: every series' starting value is a sample before it
    Traffic early = new Traffic(a, "early");
    Traffic earlyB = new Traffic(b, "early");
    Thread.sleep(2_000);
    // the window opens once Prometheus holds what the routers counted so far
    List<Map<String, ArmCounters>> atStart = quiesce(List.of(early, earlyB), a, b);
    Map<String, ArmCounters> a0 = atStart.get(0);
    Map<String, ArmCounters> b0 = atStart.get(1);
    Instant windowStart = Instant.now();
    var source = new PrometheusSource(http, Duration.ofSeconds(5));
    var xp = experiment();
    assertThat(source.read(xp)).as("the cumulative read at the window's start")
        .isEqualTo(plus(List.of(a0, b0)));

    Traffic toA = new Traffic(a, "one");
    Traffic toB = new Traffic(b, "one");
    Thread.sleep(4_000);

    // B's last counts reach Prometheus, then B is killed and replaced by B' on a new address
    Map<String, ArmCounters> bLast = killAfterLastScrape(b, toB);
    Router b2 = new Router("b2", freePort());
    scrape(a, b2);
    Traffic toB2 = new Traffic(b2, "two"); // at once, before Prometheus knows it: a new series counted from zero
    Thread.sleep(4_000);

    // A is killed and restarted on its address: the same series, its counters back at zero
    Map<String, ArmCounters> aLast = killAfterLastScrape(a, toA);
    Router a2 = new Router("a2", a.port);
    a2.stats();
    awaitScrapedAfter(Instant.now(), a2);
    assertThat(prometheus("sum({__name__=~\"serendip_router_.*_total\",instance=\"" + a2.instance() + "\"})")
        .path(0).path("value").path(1).asText()).as("the restarted router's first scrape, before its traffic")
        .isEqualTo("0");
    Traffic toA2 = new Traffic(a2, "three");
    Thread.sleep(4_000);

    List<Map<String, ArmCounters>> atEnd = quiesce(List.of(toA2, toB2), a2, b2);
    Map<String, ArmCounters> a2Last = atEnd.get(0);
    Map<String, ArmCounters> b2Last = atEnd.get(1);
    Instant windowEnd = Instant.now();

    Map<String, ArmCounters> truth = plus(List.of(minus(aLast, a0), minus(bLast, b0), b2Last, a2Last));
    Map<String, ArmCounters> read = source.readSince(xp, windowStart, windowEnd);
    // for comparison: what increase() makes of the same range, extrapolated to its ends
    long seconds = (Duration.between(windowStart, windowEnd).toMillis() + 999) / 1000;
    Map<String, String> increase = new java.util.TreeMap<>();
    prometheus("sum by (arm) (increase(serendip_router_requests_total{experiment=\"" + EXPERIMENT + "\"}[" + seconds
        + "s]))", windowEnd)
        .forEach(r -> increase.put(r.path("metric").path("arm").asText(), r.path("value").path(1).asText()));
    report("window of %.1f s: the routers counted %s; readSince read %s; increase() over %d s of requests: %s",
        Duration.between(windowStart, windowEnd).toMillis() / 1000.0, truth, read, seconds, increase);
    assertThat(read).as("the window's counts").isEqualTo(truth);
    for (var arm : truth.entrySet()) {
      ArmCounters c = arm.getValue();
      assertThat(new long[] {c.requests(), c.errors(), c.impressions(), c.explorationImpressions(),
          c.positiveFeedback(), c.exploredPositiveFeedback(), c.exploredNovel(), c.assignedUsers()})
          .as("every counter of %s counted something in the window", arm.getKey()).doesNotContain(0L);
    }

    Map<String, ArmCounters> whole = plus(List.of(aLast, bLast, b2Last, a2Last));
    assertThat(source.readSince(xp, testStart, windowEnd)).as("everything since before the first router")
        .isEqualTo(whole);
    report("whole run of %.1f s: %s", Duration.between(testStart, windowEnd).toMillis() / 1000.0, whole);
    assertThat(source.read(xp)).as("the cumulative read: the live routers").isEqualTo(plus(List.of(a2Last, b2Last)));
    assertThat(source.readSince(xp, windowEnd, windowEnd)).as("an empty window")
        .allSatisfy((arm, c) -> assertThat(c).isEqualTo(ArmCounters.ZERO));
  }

  /** One router process (the runtime jar) with both arms on the test's backend, listening on {@code port}. */
  private final class Router {
    final String name;
    final int port;
    final Process process;
    final Path log;

    Router(String name, int port) throws Exception {
      this.name = name;
      this.port = port;
      Path config = dir.resolve("router-" + name + ".yaml");
      String arm = "backend: \"http://127.0.0.1:" + backend.getAddress().getPort() + "\", ready: true}";
      Files.writeString(config, """
          apiVersion: serendip.io/v1alpha1
          kind: RouterConfig
          server: {port: %d}
          router:
            experiment: %s
            salt: "2026-12"
            arms:
              - {name: control, control: true, weightBasisPoints: 5000, explorationShare: 0.0, %s
              - {name: explore, weightBasisPoints: 5000, explorationShare: 0.2, %s
            timeouts: {connectMillis: 500, requestMillis: 5000}
            circuitBreaker: {failureThreshold: 10000, openMillis: 1000}
          """.formatted(port, EXPERIMENT, arm, arm));
      log = dir.resolve("router-" + name + ".log");
      process = new ProcessBuilder(RuntimeJar.java().toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
          RuntimeJar.path().toString(), "router", "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      processes.add(process);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .alias("router " + name + " ready on " + port + " (log " + log + ")")
          .until(() -> {
            assertThat(process.isAlive()).as("router %s alive; log:\n%s", name, Files.readString(log)).isTrue();
            try {
              return get(url("/readyz")).statusCode() == 200;
            } catch (IOException e) {
              return false;
            }
          });
    }

    String instance() {
      return "127.0.0.1:" + port;
    }

    String url(String path) {
      return "http://" + instance() + path;
    }

    /** The router's own per-arm counts, once two reads 50 ms apart agree (what it counts after answering too). */
    Map<String, ArmCounters> stats() throws Exception {
      Map<String, ArmCounters> last = read();
      while (true) {
        Thread.sleep(50);
        Map<String, ArmCounters> next = read();
        if (next.equals(last)) {
          return next;
        }
        last = next;
      }
    }

    private Map<String, ArmCounters> read() throws Exception {
      HttpResponse<String> response = get(url("/v1/stats"));
      assertThat(response.statusCode()).as("stats of " + name).isEqualTo(200);
      Map<String, ArmCounters> out = new HashMap<>();
      JSON.readTree(response.body()).path("arms").fields().forEachRemaining(e -> {
        JsonNode a = e.getValue();
        out.put(e.getKey(), new ArmCounters(a.path("requests").asLong(), a.path("errors").asLong(),
            a.path("impressions").asLong(), a.path("explorationImpressions").asLong(),
            a.path("positiveFeedback").asLong(), a.path("exploredPositiveFeedback").asLong(),
            a.path("exploredNovel").asLong(), a.path("assignedUsers").asLong()));
      });
      assertThat(out).as("arms of " + name).containsOnlyKeys("control", "explore");
      return out;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: nothing of the process runs after it
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Users ("<label>-<n>", thousands of them) sending recommend requests to one router from four threads, and a click
   * on the explored item of every fourth slate (naming the slate's request id), until stopped.
   */
  private final class Traffic {
    final Router router;
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong requests = new AtomicLong();
    final List<Future<?>> threads = new ArrayList<>();
    final Instant started = Instant.now();

    Traffic(Router router, String label) {
      this.router = router;
      traffic.add(this);
      for (int t = 0; t < 4; t++) {
        threads.add(pool.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (running.get()) {
            String user = label + "-" + random.nextInt(20_000);
            HttpResponse<String> reply = post(router.url("/v1/recommend"),
                "{\"user\":\"" + user + "\",\"history\":[\"1\",\"2\"]}");
            // 502: the control arm's backend failed (a counted error with no fallback)
            assertThat(reply.statusCode()).as(reply.body()).isIn(200, 502);
            requests.incrementAndGet();
            var requestId = reply.headers().firstValue("X-Serendip-Request-Id");
            if (requestId.isPresent() && random.nextInt(4) == 0) {
              HttpResponse<String> event = post(router.url("/v1/events"), "{\"requestId\":\"" + requestId.get()
                  + "\",\"type\":\"click\",\"items\":[{\"id\":\"2\",\"explored\":true}]}");
              assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            }
          }
          return null;
        }));
      }
    }
  }

  /** Stops the traffic and waits for every request in flight; fails with a sender's failure. */
  /** Stops the router's traffic, waits until Prometheus holds its last counts, SIGKILLs it; answers those counts. */
  private Map<String, ArmCounters> killAfterLastScrape(Router router, Traffic its) throws Exception {
    Map<String, ArmCounters> last = quiesce(List.of(its), router).get(0);
    router.kill();
    return last;
  }

  /** Stops the traffic, reads each router's counts, waits until Prometheus holds them; answers them in order. */
  private List<Map<String, ArmCounters>> quiesce(List<Traffic> its, Router... routers) throws Exception {
    stop(its.toArray(Traffic[]::new));
    List<Map<String, ArmCounters>> counts = new ArrayList<>();
    for (Router router : routers) {
      counts.add(router.stats());
    }
    awaitScrapedAfter(Instant.now(), routers);
    return counts;
  }

  private void stop(Traffic... all) throws Exception {
    for (Traffic t : all) {
      t.running.set(false);
    }
    for (Traffic t : all) {
      for (Future<?> thread : t.threads) {
        thread.get(30, TimeUnit.SECONDS);
      }
      t.pool.shutdown();
      report("%d recommend requests to router %s in %.1f s", t.requests.get(), t.router.name,
          Duration.between(t.started, Instant.now()).toMillis() / 1000.0);
    }
  }

  /** The arms' backend: every slate has one explored novel item of two; about 3% of the answers are 500s. */
  private static HttpServer backend() throws IOException {
    // answers in one segment each, without waiting for the router's delayed acknowledgement of the headers
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/v1/recommend", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        in.readAllBytes();
      }
      if (ThreadLocalRandom.current().nextInt(100) < 3) {
        respond(ex, 500, "{\"error\":\"internal\",\"message\":\"failing on purpose\"}");
      } else {
        ex.getResponseHeaders().set("X-Serendip-Slate", "items=2;explored=1;novel=1");
        respond(ex, 200, SLATE);
      }
    });
    server.start();
    return server;
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Prometheus scraping the targets of a file it re-reads every second, each with a {@code namespace} label. */
  private void startPrometheus() throws Exception {
    Command.of(Command.repo().resolve("hack/prometheus.sh").toString(), "install")
        .timeout(Duration.ofMinutes(10)).ok();
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: router
            file_sd_configs:
              - files: ['%s']
                refresh_interval: 1s
        """.formatted(dir.resolve("targets.json")));
    scrape();
    prometheusLog = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(Command.repo().resolve("hack/prometheus.sh").toString(), "run",
        "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
    processes.add(p);
    prometheusUrl = "http://127.0.0.1:" + port;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .alias("Prometheus ready (log " + prometheusLog + ")")
        .until(() -> {
          assertThat(p.isAlive()).as("Prometheus alive; log:\n%s", Files.readString(prometheusLog)).isTrue();
          try {
            return get(prometheusUrl + "/-/ready").statusCode() == 200;
          } catch (IOException e) {
            return false;
          }
        });
  }

  /** Rewrites the scrape targets (as a pod monitor follows the router pods). */
  private void scrape(Router... routers) throws IOException {
    String targets = java.util.Arrays.stream(routers).map(r -> "\"" + r.instance() + "\"")
        .collect(Collectors.joining(","));
    Path next = dir.resolve("targets.json.next");
    Files.writeString(next, "[{\"targets\":[" + targets + "],\"labels\":{\"namespace\":\"" + NAMESPACE + "\"}}]");
    Files.move(next, dir.resolve("targets.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Waits until Prometheus holds a successful scrape of each router that started after {@code after}. */
  private void awaitScrapedAfter(Instant after, Router... routers) {
    for (Router r : routers) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .alias("a scrape of router " + r.name + " after " + after + " (log " + prometheusLog + ")")
          .until(() -> {
            // the raw samples: timestamp() of anything but a plain selector is the evaluation time
            JsonNode samples = prometheus("up{job=\"router\",instance=\"" + r.instance() + "\"}[10s]").path(0)
                .path("values");
            JsonNode last = samples.path(samples.size() - 1);
            return samples.size() > 0 && last.path(0).asDouble() * 1000 > after.toEpochMilli()
                && "1".equals(last.path(1).asText());
          });
    }
  }

  /** An instant query's result, evaluated now. */
  private JsonNode prometheus(String promql) throws Exception {
    return prometheus(promql, null);
  }

  /** An instant query's result, evaluated at {@code time} (now when null). */
  private JsonNode prometheus(String promql, Instant time) throws Exception {
    HttpResponse<String> response = get(prometheusUrl + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + (time == null ? "" : "&time=" + time.toEpochMilli() / 1000.0));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("data").path("result");
  }

  private ExplorationExperiment experiment() {
    var xp = new ExplorationExperiment();
    xp.setMetadata(new ObjectMetaBuilder().withName(EXPERIMENT).withNamespace(NAMESPACE).build());
    var spec = new ExplorationExperimentSpec();
    spec.guardrails = new ExplorationExperimentSpec.Guardrails();
    spec.guardrails.metrics = new ExplorationExperimentSpec.MetricsSource();
    spec.guardrails.metrics.type = ExplorationExperimentSpec.MetricsSourceType.Prometheus;
    spec.guardrails.metrics.prometheusUrl = prometheusUrl;
    xp.setSpec(spec);
    return xp;
  }

  private static Map<String, ArmCounters> plus(List<Map<String, ArmCounters>> all) {
    Map<String, ArmCounters> out = new HashMap<>();
    all.forEach(m -> m.forEach((arm, c) -> out.merge(arm, c, ArmCounters::plus)));
    return out;
  }

  private static Map<String, ArmCounters> minus(Map<String, ArmCounters> last, Map<String, ArmCounters> first) {
    Map<String, ArmCounters> out = new HashMap<>();
    last.forEach((arm, c) -> out.put(arm, c.minus(first.getOrDefault(arm, ArmCounters.ZERO))));
    return out;
  }

  /** A port free now (ports used before in the test are never handed out again: a replaced router's is new). */
  private int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (usedPorts.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void report(String format, Object... args) {
    System.out.println("[prometheus-window] " + String.format(java.util.Locale.ROOT, format, args));
  }
}
