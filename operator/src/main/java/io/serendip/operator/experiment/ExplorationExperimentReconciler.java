package io.serendip.operator.experiment;

import io.fabric8.kubernetes.api.model.Pod;
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
  static final String SAMPLE_RATIO_MISMATCH = "SampleRatioMismatch";
  /** How soon to look again at an HTTPRoute the gateway has not accepted yet. */
  static final long ROUTE_RECHECK_MILLIS = 30_000;

  private final Function<ExplorationExperimentSpec.MetricsSourceType, MetricsSource> metricsSources;
  private final RouterReplicas routerReplicas;
  /** Each experiment's current step window and whole counts (by UID). */
  private final Map<String, Tally> tallies = new java.util.concurrent.ConcurrentHashMap<>();
  private final RouterFeedbackKey feedbackKey = new RouterFeedbackKey();

  /** The current step's window and what every arm counted since the experiment (re)started. */
  private record Tally(StepWindow window, Map<String, ArmCounters> whole) {}

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
            context, ExplorationExperimentReconciler::recommenderRefs),
        // router pods: whose stats to read, and a reconcile when one becomes ready or goes away
        ReferenceIndex.componentEventSource("router-pods", Pod.class, ExplorationExperiment.class, COMPONENT, context));
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
    List<String> missing = recommenderRefs(xp).stream().filter(r -> !models.containsKey(r))
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
    GuardrailJudge.Judgement judgement = null;
    Map<String, ArmCounters> whole = null;
    boolean active = before == null || before.active();
    boolean judging = spec.guardrails != null && active;
    // observe: every ready router pod (config revision served, counters), once per reconcile of an active rollout
    RouterReplicas.Snapshot replicas = active ? routerReplicas.read(context.getSecondaryResources(Pod.class)) : null;
    // Do the router replicas serve the config written last time? (A weight change reaches them when the kubelet
    // next syncs the mounted ConfigMap.)
    RouterReplicas.Tally revisions = replicas != null && previous.routerConfigRevision != null
        ? replicas.tally(previous.routerConfigRevision) : null;
    boolean weightsApplied = revisions == null || revisions.applied();
    if (judging) {
      RolloutState provisional = RolloutPlanner.plan(spec, before, specChanged, readyArms, Verdict.hold(""), now);
      List<String> live = provisional.basisPoints().entrySet().stream()
          .filter(e -> e.getValue() > 0 && !e.getKey().equals(controlArm(spec).name))
          .map(Map.Entry::getKey).toList();
      try {
        // the sample-ratio check needs a window under known weights
        GuardrailJudge.Split assignedWith = GuardrailJudge.Split.UNKNOWN;
        if (readsEveryReplica(spec)) {
          Tally tally = tally(xp, before, replicas, previous);
          counters = tally.window().counts();
          whole = tally.whole();
          if (weightsApplied) {
            assignedWith = new GuardrailJudge.Split(StatusWeights.parse(previous.weights),
                tally.window().processCount());
          }
        } else {
          // each step judged on its own range where the source keeps history, the tests on the rollout's
          MetricsSource source = metricsSources.apply(metricsType(spec));
          counters = source.readSince(xp, before == null ? now : before.stepStartedAt(), now);
          whole = source.readSince(xp, rolloutStartedAt(xp, previous, now), now);
        }
        judgement = GuardrailJudge.judge(spec.guardrails, spec.arms, live, counters, whole, assignedWith);
        verdict = judgement.verdict();
        conditions.set(METRICS_AVAILABLE, true, "Read", verdict.message());
        SampleRatio ratio = judgement.sampleRatio();
        boolean mismatch = judgement.sampleRatioMismatch();
        conditions.set(SAMPLE_RATIO_MISMATCH, mismatch, mismatch ? "Mismatch" : "Matched", ratio.summary());
        next.metricsReadAt = now.toString();
      } catch (MetricsSource.MetricsUnavailableException e) {
        verdict = Verdict.hold(e.getMessage());
        conditions.set(METRICS_AVAILABLE, false, "MetricsUnavailable", e.getMessage());
        next.metricsReadAt = previous.metricsReadAt;
      }
    } else {
      tallies.remove(windowKey(xp)); // a rollout that no longer moves judges nothing
      next.metricsReadAt = previous.metricsReadAt;
    }
    if (judgement == null) {
      for (String type : List.of(METRICS_AVAILABLE, SAMPLE_RATIO_MISMATCH)) {
        Conditions.find(previous.conditions, type).ifPresent(c ->
            conditions.set(type, "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
      }
    }
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
    feedbackKey.ensure(context.getClient(), xp); // before the pods that mount it
    ServerPlan.put(context, RouterPlan.serverPlan(xp, config));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    RouterHttpRoute.reconcile(context.getClient(), xp, conditions,
        Conditions.find(previous.conditions, RouterHttpRoute.CONDITION).isPresent());

    // report
    DeploymentReadiness router = DeploymentReadiness.of(context.getSecondaryResource(Deployment.class));
    ExperimentReport.fill(next, previous, xp, state, readyArms, models, counters, router);
    ExperimentReport.analysis(next, previous, before, state, whole, judgement);
    next.startedAt = before == null || ExperimentReport.restarted(before, state) ? now.toString()
        : rolloutStartedAt(xp, previous, now).toString();
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
    if (conditions.current(RouterHttpRoute.CONDITION).filter(c -> !"True".equals(c.getStatus())).isPresent()) {
      // nothing watches the route (its CRD may be absent): look again for the gateway's answer
      requeue = Math.min(requeue == null ? ROUTE_RECHECK_MILLIS : requeue, ROUTE_RECHECK_MILLIS);
    }
    return requeue == null ? control : control.rescheduleAfter(requeue);
  }

  /**
   * The current step's window over every router replica's counters: opened when the step (and its timer) starts,
   * so each step is judged on its own traffic, with counter resets of restarted or replaced routers handled; and
   * the whole counts, which grow by what each window counted since the last read. Kept in memory: after an
   * operator restart the window opens again at the first read (a step then waits for its samples anew, never
   * judges on fewer) and the whole counts go on from status (what was counted between the last status write and
   * that read is lost, never counted twice).
   */
  private Tally tally(ExplorationExperiment xp, RolloutState before, RouterReplicas.Snapshot replicas,
      ExplorationExperimentStatus previous) throws MetricsSource.MetricsUnavailableException {
    Map<String, Map<String, ArmCounters>> processes = replicas.byProcess();
    String step = before == null ? "new" : before.step() + "@" + before.stepStartedAt();
    String key = windowKey(xp);
    Tally last = tallies.get(key);
    StepWindow window = last == null || !last.window().step().equals(step) ? StepWindow.open(step, processes)
        : last.window().observe(processes);
    Map<String, ArmCounters> whole = new java.util.HashMap<>(
        last != null ? last.whole() : ExperimentReport.wholeCounts(previous));
    window.countedSince(last == null ? null : last.window())
        .forEach((arm, counted) -> whole.merge(arm, counted, ArmCounters::plus));
    for (Arm arm : xp.getSpec().arms) {
      whole.putIfAbsent(arm.name, ArmCounters.ZERO);
    }
    Tally next = new Tally(window, Map.copyOf(whole));
    tallies.put(key, next);
    return next;
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

  /** When the rollout started or was last restarted (status; an older status without it: the object's creation). */
  static Instant rolloutStartedAt(ExplorationExperiment xp, ExplorationExperimentStatus status, Instant now) {
    if (status.startedAt != null) {
      return Instant.parse(status.startedAt);
    }
    String created = xp.getMetadata().getCreationTimestamp();
    return created != null ? Instant.parse(created) : now;
  }

  /** The RecommenderModels the experiment uses: its arms' and its shadow's. */
  static List<String> recommenderRefs(ExplorationExperiment xp) {
    var refs = new java.util.ArrayList<String>();
    xp.getSpec().arms.forEach(a -> refs.add(a.recommenderRef));
    if (xp.getSpec().shadow != null) {
      refs.add(xp.getSpec().shadow.recommenderRef);
    }
    return refs.stream().distinct().toList();
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
