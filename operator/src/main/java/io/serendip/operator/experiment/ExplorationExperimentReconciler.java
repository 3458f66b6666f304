package io.serendip.operator.experiment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.serendip.config.ConfigValidator;
import io.serendip.config.RuntimeConfig;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec;
import io.serendip.operator.api.ExplorationExperimentStatus;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.Durations;
import io.serendip.operator.support.ReferenceIndex;
import io.serendip.operator.support.StatusWriter;
import io.serendip.operator.workload.DeploymentReadiness;
import io.serendip.operator.workload.ServerPlan;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * ExplorationExperiment: resolves the arms' RecommenderModels, plans the rollout (steps, guardrails,
 * manual actions), applies the router (ConfigMap with the effective weights, Deployment, Service,
 * PDB) and reports per-arm weights, readiness and metrics.
 */
@ControllerConfiguration(name = "explorationexperiment", informer = @Informer(itemStore = CompactItemStore.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = RouterConfigMap.class, name = "config"),
      @Dependent(type = RouterDeployment.class, name = "deployment", dependsOn = "config"),
      @Dependent(type = RouterService.class, name = "service"),
      @Dependent(type = RouterPdb.class, name = "pdb")
    })
public class ExplorationExperimentReconciler implements Reconciler<ExplorationExperiment> {
  public static final String COMPONENT = "router";
  public static final String SELECTOR =
      "app.kubernetes.io/managed-by=serendip-operator,serendip.io/owner-kind=ExplorationExperiment";
  static final String METRICS_AVAILABLE = "MetricsAvailable";

  private final Function<ExplorationExperimentSpec.MetricsSourceType, MetricsSource> metricsSources;
  private final RouterReplicas routerReplicas;
  /** Each experiment's current step window (by UID). */
  private final Map<String, StepWindow> windows = new java.util.concurrent.ConcurrentHashMap<>();

  public ExplorationExperimentReconciler() {
    this(defaultSources());
  }

  public ExplorationExperimentReconciler(Function<ExplorationExperimentSpec.MetricsSourceType, MetricsSource> sources) {
    this.metricsSources = sources;
    this.routerReplicas = new RouterReplicas(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(), Duration.ofSeconds(2));
  }

  static Function<ExplorationExperimentSpec.MetricsSourceType, MetricsSource> defaultSources() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    MetricsSource router = new RouterStatsSource(http, Duration.ofSeconds(3));
    MetricsSource prometheus = new PrometheusSource(http, Duration.ofSeconds(3));
    return type -> type == ExplorationExperimentSpec.MetricsSourceType.Prometheus ? prometheus : router;
  }

  @Override
  public List<EventSource<?, ExplorationExperiment>> prepareEventSources(EventSourceContext<ExplorationExperiment> context) {
    return List.of(ReferenceIndex.eventSource("recommender-refs", RecommenderModel.class, ExplorationExperiment.class,
        context, xp -> xp.getSpec().arms.stream().map(a -> a.recommenderRef).distinct().toList()));
  }

  @Override
  public UpdateControl<ExplorationExperiment> reconcile(ExplorationExperiment xp, Context<ExplorationExperiment> context) {
    ExplorationExperimentSpec spec = xp.getSpec();
    ExplorationExperimentStatus previous = xp.getStatus() == null ? new ExplorationExperimentStatus() : xp.getStatus();
    long generation = xp.getMetadata().getGeneration();
    Instant now = Instant.now();
    Conditions conditions = new Conditions(previous.conditions, generation, now);

    // observe: which arms have ready backends
    Map<String, RecommenderModel> models = context.getSecondaryResources(RecommenderModel.class).stream()
        .collect(Collectors.toMap(m -> m.getMetadata().getName(), m -> m, (a, b) -> a));
    List<String> missing = spec.arms.stream().map(a -> a.recommenderRef).filter(r -> !models.containsKey(r))
        .distinct().toList();
    Set<String> readyArms = spec.arms.stream()
        .filter(a -> backendReady(models.get(a.recommenderRef)))
        .map(a -> a.name)
        .collect(Collectors.toSet());

    // plan the rollout, judging guardrails only while it still moves
    RolloutState before = previousState(previous);
    boolean specChanged = previous.observedGeneration != null && previous.observedGeneration != generation;
    ExplorationExperimentStatus next = new ExplorationExperimentStatus();
    Verdict verdict = Verdict.notConfigured();
    Map<String, ArmCounters> counters = null;
    boolean active = before == null || before.active();
    boolean judging = spec.guardrails != null && active;
    // observe: every ready router pod (config revision served, counters), once per reconcile of an active rollout
    RouterReplicas.Snapshot replicas = active ? routerReplicas.read(context.getClient(), xp) : null;
    if (judging) {
      RolloutState provisional = RolloutPlanner.plan(spec, before, specChanged, readyArms, Verdict.hold(""), now);
      List<String> live = provisional.basisPoints().entrySet().stream()
          .filter(e -> e.getValue() > 0 && !e.getKey().equals(controlArm(spec).name))
          .map(Map.Entry::getKey).toList();
      try {
        counters = readsEveryReplica(spec) ? stepWindow(xp, before, replicas).counts()
            : metricsSources.apply(metricsType(spec)).read(xp);
        verdict = GuardrailJudge.judge(spec.guardrails, spec.arms, live, counters);
        conditions.set(METRICS_AVAILABLE, true, "Read", verdict.message());
        next.metricsReadAt = now.toString();
      } catch (MetricsSource.MetricsUnavailableException e) {
        verdict = Verdict.hold(e.getMessage());
        conditions.set(METRICS_AVAILABLE, false, "MetricsUnavailable", e.getMessage());
        next.metricsReadAt = previous.metricsReadAt;
      }
    } else {
      windows.remove(windowKey(xp)); // a rollout that no longer moves judges nothing
      next.metricsReadAt = previous.metricsReadAt;
      Conditions.find(previous.conditions, METRICS_AVAILABLE).ifPresent(c ->
          conditions.set(METRICS_AVAILABLE, "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
    }
    // Do the router replicas serve the config written last time? (A weight change reaches them when the kubelet
    // next syncs the mounted ConfigMap.)
    RouterReplicas.Tally revisions = replicas != null && previous.routerConfigRevision != null
        ? replicas.tally(previous.routerConfigRevision) : null;
    boolean weightsApplied = revisions == null || revisions.applied();
    RolloutState state = RolloutPlanner.plan(spec, before, specChanged, readyArms, verdict, weightsApplied, now);

    // validate + apply the router
    RuntimeConfig config = RouterPlan.runtimeConfig(xp, state, readyArms, models);
    List<String> errors = ConfigValidator.validate(config);
    if (!errors.isEmpty()) {
      conditions.set(Conditions.READY, false, "InvalidConfig", String.join("; ", errors))
          .set(Conditions.STALLED, true, "InvalidConfig", String.join("; ", errors))
          .set(Conditions.RECONCILING, false, "InvalidConfig", "");
      next.conditions = conditions.build();
      next.observedGeneration = generation;
      return StatusWriter.patchIfChanged(context, xp, previous, next, ExplorationExperiment::setStatus);
    }
    ServerPlan.put(context, RouterPlan.serverPlan(xp, config));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    // report
    DeploymentReadiness router = DeploymentReadiness.of(context.getSecondaryResource(Deployment.class));
    ExperimentReport.fill(next, previous, xp, state, readyArms, models, counters, router);
    next.routerConfigRevision = config.router().revision();
    boolean sameRevision = next.routerConfigRevision.equals(previous.routerConfigRevision);
    next.routerReplicasOnRevision = !sameRevision ? Integer.valueOf(0) // just written: none serves it yet
        : revisions != null ? Integer.valueOf(revisions.current()) : previous.routerReplicasOnRevision;
    if (!missing.isEmpty()) {
      conditions.set(Conditions.REFERENCES_READY, false, "ReferenceNotFound",
          "RecommenderModel " + String.join(", ", missing) + " does not exist");
    } else {
      conditions.set(Conditions.REFERENCES_READY, true, "Resolved", "all arms' RecommenderModels exist");
    }
    ExperimentReport.readiness(conditions, state, router, readyArms.contains(controlArm(spec).name));
    next.conditions = conditions.build();
    UpdateControl<ExplorationExperiment> control =
        StatusWriter.patchIfChanged(context, xp, previous, next, ExplorationExperiment::setStatus);
    Long requeue = requeueMillis(spec, state);
    return requeue == null ? control : control.rescheduleAfter(requeue);
  }

  /**
   * The current step's window over every router replica's counters: opened when the step (and its timer) starts,
   * so each step is judged on its own traffic, with counter resets of restarted or replaced routers handled.
   * Kept in memory: after an operator restart the window opens again at the first read (a step then waits for
   * its samples anew, never judges on fewer).
   */
  private StepWindow stepWindow(ExplorationExperiment xp, RolloutState before, RouterReplicas.Snapshot replicas)
      throws MetricsSource.MetricsUnavailableException {
    Map<String, Map<String, ArmCounters>> processes = replicas.byProcess();
    String step = before == null ? "new" : before.step() + "@" + before.stepStartedAt();
    String key = windowKey(xp);
    StepWindow window = windows.get(key);
    window = window == null || !window.step().equals(step) ? StepWindow.open(step, processes) : window.observe(processes);
    windows.put(key, window);
    return window;
  }

  private static String windowKey(ExplorationExperiment xp) {
    return xp.getMetadata().getUid() != null ? xp.getMetadata().getUid()
        : xp.getMetadata().getNamespace() + "/" + xp.getMetadata().getName();
  }

  private static Long requeueMillis(ExplorationExperimentSpec spec, RolloutState state) {
    Long requeue = state.requeueAfterMillis();
    if (state.active() && spec.guardrails != null) {
      long interval = Durations.parse(spec.guardrails.interval == null ? "30s" : spec.guardrails.interval).toMillis();
      requeue = requeue == null ? interval : Math.min(requeue, interval);
    }
    return requeue == null ? null : Math.max(requeue, 100L);
  }

  /**
   * An arm's backends are ready when its RecommenderModel has ready pods with a valid config; a model
   * that is merely scaling or rolling (Ready=False with pods still ready) keeps its traffic.
   */
  static boolean backendReady(RecommenderModel m) {
    return m != null && m.getStatus() != null
        && m.getStatus().readyReplicas != null && m.getStatus().readyReplicas > 0
        && !Conditions.isTrue(m.getStatus().conditions, Conditions.STALLED);
  }

  static RolloutState previousState(ExplorationExperimentStatus s) {
    if (s.phase == null || s.currentStep == null || s.stepStartedAt == null) {
      return null;
    }
    return new RolloutState(s.phase, s.currentStep, Instant.parse(s.stepStartedAt), Map.of(), s.abortReason, null);
  }

  static Arm controlArm(ExplorationExperimentSpec spec) {
    return spec.arms.stream().filter(a -> Boolean.TRUE.equals(a.control)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the API server guarantees exactly one control arm"));
  }

  /** RouterStats without a statsUrl of its own: the operator sums every router replica's counters. */
  static boolean readsEveryReplica(ExplorationExperimentSpec spec) {
    return metricsType(spec) == ExplorationExperimentSpec.MetricsSourceType.RouterStats
        && (spec.guardrails.metrics == null || spec.guardrails.metrics.statsUrl == null);
  }

  static ExplorationExperimentSpec.MetricsSourceType metricsType(ExplorationExperimentSpec spec) {
    return Optional.ofNullable(spec.guardrails.metrics).map(m -> m.type)
        .orElse(ExplorationExperimentSpec.MetricsSourceType.RouterStats);
  }

  public static String routerName(ExplorationExperiment xp) {
    return xp.getMetadata().getName() + "-" + COMPONENT;
  }

}
