package io.serendip.operator.experiment;

import io.fabric8.kubernetes.api.model.Pod;
import io.serendip.operator.workload.PodTemplates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every ready router pod's {@code GET /v1/stats}, asked in parallel: which config revision each serves and the
 * arms' counters summed over all of them. Through the Service the operator would see one replica at a time.
 * The router reloads its ConfigMap in place and the kubelet updates a mounted ConfigMap only on its next sync
 * (up to a minute or so), so a weight step is in effect only once the replicas report the new revision.
 */
public final class RouterReplicas {

  /** One ready router pod and its stats body (empty: it did not answer 200). */
  public record Replica(String pod, Optional<String> stats) {
  }

  /**
   * What the replicas report against the expected revision. {@code unknown}: no answer or no revision (an
   * unreachable pod or an older router), which cannot be waited for.
   */
  public record Tally(int current, int older, int unknown) {
    /** Whether no replica is known to serve an older config. */
    public boolean applied() {
      return older == 0;
    }
  }

  /** One read of every ready replica. */
  public record Snapshot(List<Replica> replicas) {
    public Tally tally(String expected) {
      int current = 0;
      int older = 0;
      int unknown = 0;
      for (Replica replica : replicas) {
        Optional<String> revision = replica.stats().flatMap(RouterReplicas::revision);
        if (revision.isEmpty()) {
          unknown++;
        } else if (revision.get().equals(expected)) {
          current++;
        } else {
          older++;
        }
      }
      return new Tally(current, older, unknown);
    }

    /**
     * The arms' counters summed over every replica; unavailable unless every ready replica answered, since a
     * missing replica's share would bias the rates.
     */
    public Map<String, ArmCounters> summed() throws MetricsSource.MetricsUnavailableException {
      Map<String, ArmCounters> total = new HashMap<>();
      byProcess().values().forEach(arms -> arms.forEach((arm, counters) -> total.merge(arm, counters,
          ArmCounters::plus)));
      return total;
    }

    /**
     * Each replica's cumulative counters by arm, keyed by process: pod name and the router's start time, so a
     * router restarted in its pod is a new process whose counters began at zero. Unavailable unless every ready
     * replica answered.
     */
    public Map<String, Map<String, ArmCounters>> byProcess() throws MetricsSource.MetricsUnavailableException {
      if (replicas.isEmpty()) {
        throw new MetricsSource.MetricsUnavailableException("no ready router pod");
      }
      Map<String, Map<String, ArmCounters>> out = new java.util.LinkedHashMap<>();
      for (Replica replica : replicas) {
        if (replica.stats().isEmpty()) {
          throw new MetricsSource.MetricsUnavailableException("router pod " + replica.pod()
              + " did not answer /v1/stats (" + replicas.size() + " ready)");
        }
        var stats = RouterStatsSource.tree(replica.stats().get()); // parsed once: start time and counters
        out.put(replica.pod() + "@" + stats.path("startedAt").asText(""), RouterStatsSource.parse(stats));
      }
      return out;
    }
  }

  private final HttpClient http;
  private final Duration timeout;

  public RouterReplicas(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * Asks every ready pod among {@code routerPods} (the experiment's router pods, from the controller's informer:
   * listing them from the API server on every poll cost ~2,000 lists a minute at 1,000 experiments).
   */
  public Snapshot read(Collection<Pod> routerPods) {
    List<String> names = new ArrayList<>();
    List<CompletableFuture<Optional<String>>> answers = new ArrayList<>();
    for (Pod pod : routerPods) {
      if (ready(pod)) {
        names.add(pod.getMetadata().getName());
        answers.add(statsOf(pod.getStatus().getPodIP()));
      }
    }
    List<Replica> replicas = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      replicas.add(new Replica(names.get(i), answers.get(i).join()));
    }
    return new Snapshot(replicas);
  }

  private CompletableFuture<Optional<String>> statsOf(String ip) {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://" + ip + ":" + PodTemplates.HTTP_PORT + "/v1/stats")).timeout(timeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.statusCode() == 200 ? Optional.of(r.body()) : Optional.<String>empty())
        .exceptionally(failure -> Optional.empty());
  }

  static Optional<String> revision(String statsBody) {
    try {
      var revision = RouterStatsSource.JSON.readTree(statsBody).path("configRevision");
      return revision.isTextual() ? Optional.of(revision.asText()) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
