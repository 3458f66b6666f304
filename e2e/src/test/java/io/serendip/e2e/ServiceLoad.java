package io.serendip.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client thread sending recommend requests without pause through a router's ClusterIP Service on keep-alive
 * connections, as a user-facing service would, while a fault happens: counts answers by serving arm and keeps
 * every failure with its cause (status and body, or the exception chain).
 */
final class ServiceLoad implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger answered = new AtomicInteger();
  private final Map<String, AtomicInteger> byArm = new ConcurrentHashMap<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private final long startedNanos = System.nanoTime();

  private ServiceLoad(String service, List<String> users, List<String> itemIds, long seed) {
    HttpClient keepAlive = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    thread = new Thread(() -> {
      Random random = new Random(seed);
      for (int i = 0; running.get(); i++) {
        ObjectNode body = JSON.createObjectNode().put("user", users.get(i % users.size())).put("k", 10);
        body.set("history", JSON.createArrayNode().add(itemIds.get(random.nextInt(itemIds.size()))));
        try {
          HttpResponse<String> r = keepAlive.send(HttpRequest.newBuilder(URI.create(service + "/v1/recommend"))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            answered.incrementAndGet();
            JsonNode slate = JSON.readTree(r.body());
            byArm.computeIfAbsent(slate.path("arm").asText(), a -> new AtomicInteger()).incrementAndGet();
          } else {
            failures.add("HTTP " + r.statusCode() + ": " + r.body());
          }
        } catch (IOException e) {
          failures.add(causes(e));
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "service-load");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts the load on {@code service} (e.g. {@code http://10.0.0.12:8080}), cycling through {@code users}. */
  static ServiceLoad start(String service, List<String> users, List<String> itemIds, long seed) {
    return new ServiceLoad(service, users, itemIds, seed);
  }

  private static String causes(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      s.append(s.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return s.toString();
  }

  int answered() {
    return answered.get();
  }

  int answeredBy(String arm) {
    AtomicInteger n = byArm.get(arm);
    return n == null ? 0 : n.get();
  }

  List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Stops after the request in flight (waits up to a minute for it). */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(60_000);
  }
}
