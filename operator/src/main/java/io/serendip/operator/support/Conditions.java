package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds a condition list the kstatus way: a condition keeps its lastTransitionTime unless its status
 * flips, so recomputing an unchanged status yields an identical object (and no write).
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String REFERENCES_READY = "ReferencesReady";
  public static final String INSUFFICIENT_GPU = "InsufficientGPU";
  public static final String DEGRADED = "Degraded";

  private final List<Condition> previous;
  private final long generation;
  private final Instant now;
  private final List<Condition> next = new ArrayList<>();

  public Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    String since = find(previous, type)
        .filter(c -> value.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElse(now.toString());
    next.removeIf(c -> c.getType().equals(type));
    next.add(new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build());
    return this;
  }

  /** Carries the previous condition of this type unchanged (when there was one). */
  public Conditions keep(String type) {
    find(previous, type).ifPresent(c -> {
      next.removeIf(n -> n.getType().equals(type));
      next.add(c);
    });
    return this;
  }

  /** The condition of this type as set so far in this reconcile. */
  public Optional<Condition> current(String type) {
    return find(next, type);
  }

  /** The conditions in a stable order (by type) so the status serialises identically every time. */
  public List<Condition> build() {
    List<Condition> out = new ArrayList<>(next);
    out.sort(Comparator.comparing(Condition::getType));
    return out;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
