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

  @JsonPropertyDescription("When the rollout started, or was last restarted (RFC 3339): the start of the whole"
      + " counts.")
  public String startedAt;

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

  @JsonPropertyDescription("The shadow arm: readiness and the metrics of its mirrored requests (weight 0: it has no"
      + " users).")
  public ArmStatus shadow;

  @JsonPropertyDescription("When the metrics below were read (RFC 3339).")
  public String metricsReadAt;

  @JsonPropertyDescription("Why the experiment was aborted, if it was.")
  public String abortReason;

  @JsonPropertyDescription("Chi-square p-value of the users assigned per arm in the current step against its weights"
      + " (the sample-ratio check), when tested.")
  public String sampleRatioPValue;

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

    @JsonPropertyDescription("What the arm counted since the experiment started or was retried, over every router"
        + " replica; the sequential tests and the lift are computed on these.")
    public ArmCounts counts;

    @JsonPropertyDescription("A treatment arm against control, on the counts above.")
    public ArmAnalysis analysis;
  }

  /** Whole counts of one arm (RouterStats read from every replica: summed over steps, replicas and restarts). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArmCounts {
    @JsonPropertyDescription("Recommend requests of users assigned to the arm.")
    public Long requests;

    @JsonPropertyDescription("Failed backend calls of the arm.")
    public Long errors;

    @JsonPropertyDescription("Items shown.")
    public Long impressions;

    @JsonPropertyDescription("Explored items shown.")
    public Long explorationImpressions;

    @JsonPropertyDescription("Clicks and likes.")
    public Long positiveFeedback;

    @JsonPropertyDescription("Clicks and likes on explored items.")
    public Long exploredPositiveFeedback;

    @JsonPropertyDescription("Explored items shown outside the user's history clusters.")
    public Long exploredNovel;

    @JsonPropertyDescription("Users assigned, each counted once per router config (a weight step counts them again).")
    public Long assignedUsers;
  }

  /** Lift of a treatment arm's positive-feedback rate over control's, with always-valid inference. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArmAnalysis {
    @JsonPropertyDescription("Positive-feedback rate minus control's (absolute).")
    public String lift;

    @JsonPropertyDescription("Lower end of the lift's confidence sequence at 1 - alpha / treatment arms: valid"
        + " however often it is read.")
    public String liftLower;

    @JsonPropertyDescription("Upper end of that interval.")
    public String liftUpper;

    @JsonPropertyDescription("Always-valid p-value of no lift: the smallest seen since the counts started.")
    public String pValue;

    @JsonPropertyDescription("Better or Worse once the interval excludes 0, else Inconclusive; Harmful when a"
        + " guardrail aborted the arm.")
    public String decision;
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
