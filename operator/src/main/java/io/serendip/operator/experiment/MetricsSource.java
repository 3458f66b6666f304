package io.serendip.operator.experiment;

import io.serendip.operator.api.ExplorationExperiment;
import java.util.Map;

/** Where guardrail metrics come from: the router's stats endpoint or Prometheus. */
public interface MetricsSource {
  /**
   * Per-arm cumulative counters.
   *
   * @throws MetricsUnavailableException when the source cannot be read or lacks an arm
   */
  Map<String, ArmCounters> read(ExplorationExperiment experiment) throws MetricsUnavailableException;

  /**
   * What the arms counted from {@code since} to {@code now}: windowed where the source keeps history (Prometheus),
   * else everything it has counted ({@link #read}).
   */
  default Map<String, ArmCounters> readSince(ExplorationExperiment experiment, java.time.Instant since,
      java.time.Instant now) throws MetricsUnavailableException {
    return read(experiment);
  }

  /** Signals that metrics could not be read; the rollout holds instead of judging. */
  class MetricsUnavailableException extends Exception {
    public MetricsUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }

    public MetricsUnavailableException(String message) {
      super(message);
    }
  }
}
