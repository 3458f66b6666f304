package io.serendip.operator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.support.Labels;
import io.serendip.operator.workload.PodTemplates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which router config each ready router pod serves: its {@code GET /v1/stats} reports {@code configRevision}.
 * The router reloads its ConfigMap in place, and the kubelet updates a mounted ConfigMap only on its next sync
 * (up to a minute or so), so a weight step is in effect only once the replicas report the new revision.
 */
public final class RouterRevisions {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the replicas report against the expected revision. {@code unknown}: no answer or no revision (an
   * unreachable pod or an older router), which cannot be waited for.
   */
  public record Tally(int current, int older, int unknown) {
    /** Whether no replica is known to serve an older config. */
    public boolean applied() {
      return older == 0;
    }

    public static Tally of(String expected, List<Optional<String>> reported) {
      int current = 0;
      int older = 0;
      int unknown = 0;
      for (Optional<String> revision : reported) {
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
  }

  private final HttpClient http;
  private final Duration timeout;

  public RouterRevisions(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /** The revisions the experiment's ready router pods report, asked in parallel. */
  public Tally read(KubernetesClient client, ExplorationExperiment xp, String expected) {
    List<CompletableFuture<Optional<String>>> answers = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(xp.getMetadata().getNamespace())
        .withLabel(Labels.INSTANCE, xp.getMetadata().getName())
        .withLabel(Labels.COMPONENT, ExplorationExperimentReconciler.COMPONENT).list().getItems()) {
      if (ready(pod)) {
        answers.add(revisionOf(pod.getStatus().getPodIP()));
      }
    }
    List<Optional<String>> reported = answers.stream().map(CompletableFuture::join).toList();
    return Tally.of(expected, reported);
  }

  private CompletableFuture<Optional<String>> revisionOf(String ip) {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://" + ip + ":" + PodTemplates.HTTP_PORT + "/v1/stats")).timeout(timeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.statusCode() == 200 ? revision(r.body()) : Optional.<String>empty())
        .exceptionally(failure -> Optional.empty());
  }

  static Optional<String> revision(String statsBody) {
    try {
      JsonNode revision = JSON.readTree(statsBody).path("configRevision");
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
