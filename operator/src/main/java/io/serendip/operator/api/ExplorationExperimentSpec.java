package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Arms, assignment, rollout and guardrails. Changing arms or rollout restarts the rollout from its
 * first step; assignment.salt is immutable because changing it would reshuffle every user.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.shadow) || self.arms.all(a, a.name != self.shadow.name)",
    message = "shadow.name must differ from every arm's name", fieldPath = ".shadow.name")
public class ExplorationExperimentSpec {
  @Required
  @Size(min = 2, max = 8)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "arm names must be unique")
  @ValidationRule(value = "self.exists_one(a, a.control)", message = "exactly one arm must have control: true")
  @ValidationRule(value = "self.map(a, a.weight).sum() == 100", message = "arm weights must sum to 100")
  @JsonPropertyDescription("The arms; exactly one is the control and their weights (percent) sum to 100.")
  public List<Arm> arms;

  @Required
  @JsonPropertyDescription("How users are assigned to arms.")
  public Assignment assignment;

  @JsonPropertyDescription(
      "Stepwise rollout of the non-control arms towards their weights. Without steps the arms get"
          + " their weights as soon as their backends are ready.")
  public Rollout rollout;

  @JsonPropertyDescription("Guardrails comparing every arm with control; a breach aborts the experiment.")
  public Guardrails guardrails;

  @Default("false")
  @JsonPropertyDescription("Pause the rollout at its current step; set back to false to resume.")
  public Boolean paused = false;

  @JsonPropertyDescription(
      "Manual decision: Promote jumps to the arms' final weights, Abort sends all traffic to control.")
  public Action action;

  @Size(max = 64)
  @JsonPropertyDescription("Retry token: changing it (like any spec change) restarts an aborted rollout from its first"
      + " step; `kubectl serendip retry` writes the current time. No effect on a rollout that was not aborted.")
  public String retry;

  @Min(0)
  @JsonPropertyDescription("Promote one step: when the rollout stands in the pause at this step index (timed or"
      + " untimed), it moves on to the next step now, guardrail verdict or timer notwithstanding (a breach still"
      + " aborts). Naming the step makes the edit idempotent: `kubectl serendip promote` writes status.currentStep.")
  public Integer promotedStep;

  @JsonPropertyDescription("The router Deployment.")
  public Router router;

  @JsonPropertyDescription("A shadow arm: a share of recommend requests is mirrored to its RecommenderModel, whose"
      + " answers are discarded; its requests, errors, latency and the novelty of its slates are metered like an"
      + " arm's (status.shadow). It takes no users and no part in the rollout's decisions.")
  public Shadow shadow;

  /** The shadow arm. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Shadow {
    @Required
    @Size(min = 1, max = 40)
    @Pattern(ApiConstants.DNS_LABEL)
    @JsonPropertyDescription("Shadow arm name (RFC 1123 label), unlike every arm's.")
    public String name;

    @Required
    @Size(min = 1, max = 63)
    @Pattern(ApiConstants.DNS_LABEL)
    @JsonPropertyDescription("Name of the RecommenderModel (same namespace) answering the mirrored requests.")
    public String recommenderRef;

    @Min(1)
    @Max(100)
    @Default("10")
    @JsonPropertyDescription("Percent of recommend requests mirrored to it (drawn at random, QA overrides excluded).")
    public Integer mirrorPercent = 10;

    @Min(0)
    @Max(1)
    @Default("0.2")
    @JsonPropertyDescription("Share of its slates filled with exploration items, in [0, 1].")
    public Double explorationShare = 0.2;
  }

  /** One arm. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Arm {
    @Required
    @Size(min = 1, max = 40)
    @Pattern(ApiConstants.DNS_LABEL)
    @JsonPropertyDescription("Arm name (RFC 1123 label), unique in the experiment.")
    public String name;

    @Default("false")
    @JsonPropertyDescription("Whether this is the control arm; exactly one arm is.")
    public Boolean control = false;

    @Required
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Final traffic weight in percent.")
    public Integer weight;

    @Required
    @Size(min = 1, max = 63)
    @Pattern(ApiConstants.DNS_LABEL)
    @JsonPropertyDescription("Name of the RecommenderModel (same namespace) serving this arm.")
    public String recommenderRef;

    @Min(0)
    @Max(1)
    @Default("0.2")
    @JsonPropertyDescription("Share of the slate filled with exploration items, in [0, 1].")
    public Double explorationShare = 0.2;
  }

  /** User assignment. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.hashKey != 'header' || has(self.hashKeyHeader)",
      message = "hashKeyHeader is required when hashKey is header")
  @ValidationRule(value = "self.hashKey == 'header' || !has(self.hashKeyHeader)",
      message = "hashKeyHeader is only used when hashKey is header")
  @ValidationRule(value = "!has(self.hashKeyHeader) || !has(self.overrideHeader)"
      + " || self.hashKeyHeader.lowerAscii() != self.overrideHeader.lowerAscii()",
      message = "overrideHeader must differ from hashKeyHeader")
  public static class Assignment {
    @Default("userId")
    @JsonPropertyDescription("What is hashed to pick the arm: userId (the request body's user) or header (the value"
        + " of hashKeyHeader, e.g. a device or session id; requests without it fall back to the body's user).")
    public HashKey hashKey = HashKey.userId;

    @Pattern(ApiConstants.HEADER_NAME)
    @JsonPropertyDescription("Request header hashed when hashKey is header, e.g. X-Device-Id.")
    public String hashKeyHeader;

    @Pattern(ApiConstants.HEADER_NAME)
    @JsonPropertyDescription("QA override: a request carrying this header is served by the arm it names, counted"
        + " apart (overrides) and never in the experiment's metrics. Unset: no override.")
    public String overrideHeader;

    @Required
    @Size(min = 1, max = 64)
    @ValidationRule(value = "self == oldSelf", message = "salt is immutable: changing it would reassign every user")
    @JsonPropertyDescription("Salt mixed into the hash; the same key and salt always land in the same arm.")
    public String salt;
  }

  /** Assignment keys. */
  public enum HashKey {
    userId,
    header
  }

  /** Rollout steps. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Rollout {
    @Size(max = 32)
    @JsonPropertyDescription("Steps run in order; each sets a weight or pauses.")
    public List<Step> steps;

    @Pattern(ApiConstants.DURATION)
    @Default("10m")
    @JsonPropertyDescription("How long a timed pause may run over its duration while the guardrails cannot judge"
        + " (too few samples, metrics unavailable) before the rollout is reported stalled (condition"
        + " Progressing=False, ProgressDeadlineExceeded). Untimed and manual pauses do not count.")
    public String progressDeadline = "10m";

    @Default("false")
    @JsonPropertyDescription("Abort instead of only reporting when the progress deadline passes.")
    public Boolean abortOnProgressDeadline = false;
  }

  /** A rollout step: exactly one of setWeight and pause. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.setWeight) != has(self.pause)",
      message = "a step sets exactly one of setWeight and pause")
  public static class Step {
    @Min(0)
    @Max(100)
    @JsonPropertyDescription(
        "Percent of their final weight the non-control arms get from this step on; control gets the rest.")
    public Integer setWeight;

    @JsonPropertyDescription("Wait for a duration, or until resumed (spec.paused=false after an empty pause).")
    public Pause pause;
  }

  /** A pause step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Pause {
    @Pattern(ApiConstants.DURATION)
    @JsonPropertyDescription("How long to wait, e.g. 30s, 5m, 1h. Without it, wait until promoted.")
    public String duration;
  }

  /** Guardrails and where their metrics come from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Guardrails {
    @JsonPropertyDescription("Where per-arm metrics are read from.")
    public MetricsSource metrics;

    @Min(0)
    @Default("500")
    @JsonPropertyDescription("Impressions an arm and control need before guardrails are judged.")
    public Long minSamples = 500L;

    @Min(0)
    @Max(1)
    @Default("0.01")
    @JsonPropertyDescription("Largest allowed error-rate increase over control (absolute).")
    public Double maxErrorRateIncrease = 0.01;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription(
        "Smallest allowed exploration novelty rate (novel explored impressions / exploration impressions).")
    public Double minNoveltyRate;

    @Min(0)
    @Max(10)
    @Default("0.9")
    @JsonPropertyDescription(
        "Smallest allowed ratio of an arm's positive-feedback rate to control's (0.9 = at most 10% worse).")
    public Double minPositiveFeedbackRatio = 0.9;

    @Pattern(ApiConstants.DURATION)
    @Default("30s")
    @JsonPropertyDescription("How often metrics are read while the rollout runs.")
    public String interval = "30s";

    @Min(0)
    @Max(0.5)
    @Default("0.05")
    @JsonPropertyDescription("Chance of aborting a treatment arm that is within every guardrail, however often the"
        + " guardrails are judged (always-valid sequential tests); also the error level of each arm's lift interval.")
    public Double alpha = 0.05;

    @Min(0)
    @Max(0.5)
    @Default("0.0005")
    @JsonPropertyDescription("The sample-ratio check aborts the experiment when the chi-square p-value of the users"
        + " assigned per arm in a step, against the step's weights, falls below this (RouterStats from every replica"
        + " only).")
    public Double sampleRatioAlpha = 0.0005;
  }

  /** Pluggable metrics source. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.type != 'Prometheus' || has(self.prometheusUrl)",
      message = "prometheusUrl is required when type is Prometheus",
      fieldPath = ".prometheusUrl")
  public static class MetricsSource {
    @Default("RouterStats")
    @JsonPropertyDescription("RouterStats reads the router's /v1/stats; Prometheus runs PromQL queries.")
    public MetricsSourceType type = MetricsSourceType.RouterStats;

    @Size(max = 512)
    @Pattern("^https?://.+")
    @JsonPropertyDescription("Router stats URL; defaults to the router Service's /v1/stats.")
    public String statsUrl;

    @Size(max = 512)
    @Pattern("^https?://.+")
    @JsonPropertyDescription("Prometheus base URL, e.g. http://prometheus.monitoring:9090.")
    public String prometheusUrl;
  }

  /** Metrics source types. */
  public enum MetricsSourceType {
    RouterStats,
    Prometheus
  }

  /** Manual decisions. */
  public enum Action {
    Promote,
    Abort
  }

  /** Router Deployment settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Router {
    @Min(1)
    @Max(100)
    @Default("2")
    @JsonPropertyDescription("Router replicas.")
    public Integer replicas = 2;

    @Pattern(ApiConstants.QUANTITY)
    @Default("250m")
    @JsonPropertyDescription("CPU request per router pod.")
    public String cpu = "250m";

    @Pattern(ApiConstants.QUANTITY)
    @Default("256Mi")
    @JsonPropertyDescription("Memory request and limit per router pod.")
    public String memory = "256Mi";

    @Min(1)
    @Max(60000)
    @Default("500")
    @JsonPropertyDescription("Backend connect timeout in milliseconds.")
    public Integer connectTimeoutMillis = 500;

    @Min(1)
    @Max(600000)
    @Default("2000")
    @JsonPropertyDescription("Backend request timeout in milliseconds.")
    public Integer requestTimeoutMillis = 2000;

    @Min(1)
    @Max(1000)
    @Default("5")
    @JsonPropertyDescription("Consecutive backend failures that open an arm's circuit breaker.")
    public Integer circuitBreakerFailures = 5;

    @Min(60)
    @Max(604800)
    @Default("3600")
    @JsonPropertyDescription("Seconds after a slate was served during which feedback naming its request id is"
        + " counted; later feedback gets 410. A change takes effect when the router pods restart.")
    public Integer feedbackWindowSeconds = 3600;

    @JsonPropertyDescription("Pod and container overrides.")
    public PodOverrides pod;

    @JsonPropertyDescription("Expose the router through the cluster's Gateway API gateway: the operator writes an"
        + " HTTPRoute to the router Service. Unset: no route (the Service only).")
    public Gateway gateway;
  }

  /** The Gateway API HTTPRoute of the router. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Gateway {
    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription("The Gateways (or their listeners) the route attaches to.")
    public List<ParentRef> parentRefs;

    @Size(max = 16)
    @JsonPropertyDescription("Host names the route answers for, e.g. recs.example.com; unset: the listeners' own.")
    public List<@Size(max = 253) @Pattern(ApiConstants.HOSTNAME) String> hostnames;

    @Pattern("^/[^?#]*$")
    @Size(max = 1024)
    @Default("/")
    @JsonPropertyDescription("Path prefix routed to the router (default /).")
    public String pathPrefix = "/";
  }

  /** A Gateway, by name, as Gateway API parentRefs name one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ParentRef {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(ApiConstants.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Gateway name.")
    public String name;

    @Size(max = 63)
    @Pattern(ApiConstants.DNS_LABEL)
    @JsonPropertyDescription("Gateway namespace; unset: the experiment's.")
    public String namespace;

    @Size(max = 253)
    @Pattern(ApiConstants.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Listener name on that Gateway; unset: every listener that allows the route.")
    public String sectionName;
  }
}
