package io.serendip.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.serendip.operator.support.RuntimeImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator. Environment: SERENDIP_RUNTIME_IMAGE (image of the runtime pods),
 * SERENDIP_WATCH_NAMESPACES (comma-separated; empty: all), SERENDIP_LEADER_ELECTION_NAMESPACE (enables
 * Lease-based leader election there), SERENDIP_HTTP_PORT (probes and metrics, default 8081).
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    Set<String> namespaces = Arrays.stream(env("SERENDIP_WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Optional<String> leaseNamespace = Optional.of(env("SERENDIP_LEADER_ELECTION_NAMESPACE", "")).filter(s -> !s.isBlank());
    int port = Integer.parseInt(env("SERENDIP_HTTP_PORT", "8081"));
    int threads = Integer.parseInt(env("SERENDIP_RECONCILE_THREADS", "4"));

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // meters registered globally (the guardrails' Prometheus reads) are exported too
    Metrics.addRegistry(registry);
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = SerendipOperator.create(client, namespaces, registry,
        leaseNamespace.map(SerendipOperator::leaseIn), threads);
    HttpServer http = probes(port, registry,
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
        () -> operator.getRuntimeInfo().isStarted());
    operator.installShutdownHook(Duration.ofSeconds(10));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> http.stop(0), "serendip-http-stop"));
    LOG.info("starting serendip operator: runtime image {}, namespaces {}, leader election {}",
        RuntimeImage.get(), namespaces.isEmpty() ? "all" : namespaces, leaseNamespace.orElse("off"));
    operator.start();
  }

  /** /healthz (liveness: informers healthy), /readyz (started) and /metrics (Prometheus). */
  static HttpServer probes(int port, PrometheusMeterRegistry registry, BooleanSupplier live, BooleanSupplier ready)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", ex -> respond(ex, live.getAsBoolean() ? 200 : 503, "text/plain", "ok"));
    server.createContext("/readyz", ex -> respond(ex, ready.getAsBoolean() ? 200 : 503, "text/plain", "ok"));
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
    server.start();
    return server;
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = (status == 200 ? body : "unavailable").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
