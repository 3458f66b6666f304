package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Rollout state, per-arm weights and readiness, and the latest guardrail metrics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExplorationExperimentStatus extends ReconcileStatus {
  @JsonPropertyDescription("Progressing, Paused, Completed, Promoted or Aborted.")
  public String phase;

  @JsonPropertyDescription("Index of the rollout step in effect (equal to the number of steps when done).")
  public Integer currentStep;

  @JsonPropertyDescription("When the current step started (RFC 3339).")
  public String stepStartedAt;

  @JsonPropertyDescription("Effective weights as name=percent, e.g. control=80,explore=20.")
  public String weights;

  @JsonPropertyDescription("Ready router pods.")
  public Integer routerReadyReplicas;

  @JsonPropertyDescription("Revision of the router config the operator last wrote (its content hash); the router pods"
      + " reload it in place, without restarting.")
  public String routerConfigRevision;

  @JsonPropertyDescription("Ready router pods that report serving routerConfigRevision; a step's timer starts only"
      + " once none reports an older one.")
  public Integer routerReplicasOnRevision;

  @JsonPropertyDescription("Per-arm state.")
  public List<ArmStatus> arms = new ArrayList<>();

  @JsonPropertyDescription("When the metrics below were read (RFC 3339).")
  public String metricsReadAt;

  @JsonPropertyDescription("Why the experiment was aborted, if it was.")
  public String abortReason;

  /** State of one arm. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArmStatus {
    @JsonPropertyDescription("Arm name.")
    public String name;

    @JsonPropertyDescription("Effective traffic weight in percent.")
    public Integer weight;

    @JsonPropertyDescription("Whether the arm's backends are ready (only ready arms get traffic).")
    public Boolean ready;

    @JsonPropertyDescription("Ready backend pods.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Latest metrics of the arm, if read.")
    public ArmMetrics metrics;
  }

  /**
   * Metrics of one arm as last judged: with RouterStats read from every router replica, what was counted in the
   * current rollout step (each step is judged on its own traffic; restarted or replaced routers do not reset it);
   * with a statsUrl or Prometheus, that source's cumulative counters.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArmMetrics {
    @JsonPropertyDescription("Requests served.")
    public Long requests;

    @JsonPropertyDescription("Impressions shown.")
    public Long impressions;

    @JsonPropertyDescription("errors / requests.")
    public String errorRate;

    @JsonPropertyDescription("Novel explored impressions / exploration impressions.")
    public String noveltyRate;

    @JsonPropertyDescription("Positive feedback / impressions.")
    public String positiveFeedbackRate;
  }
}
