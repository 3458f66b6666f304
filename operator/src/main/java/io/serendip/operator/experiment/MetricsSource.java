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
