package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.serendip.operator.api.TrainingStatus;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.ContainerDiagnosis;
import io.serendip.operator.support.JobState;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the two models' training Jobs share: the Job of one training version (its typed config mounted from the
 * ConfigMap named like it), created once and never updated, and the {@code Trained} condition from its state.
 */
public final class TrainingJobs {
  /** Condition: the version spec.training asks for is trained (and, where the model has gates, passed them). */
  public static final String TRAINED = "Trained";
  /** Exit codes of the training jobs that a retry would not change: unusable input, a missed gate, divergence. */
  static final List<Integer> FINAL_EXIT_CODES = List.of(2, 3, 4);

  /** The file of a training Job's typed config in its ConfigMap. */
  public static final String CONFIG_FILE = "train.yaml";
  private static final String TRAIN = "-train-";
  private static final String CLEAN = "-clean-";

  private TrainingJobs() {}

  /** The Job (and Job config) of one training version: {@code <model>-train-<version>}. */
  public static String jobName(HasMetadata owner, String version) {
    return owner.getMetadata().getName() + TRAIN + version;
  }

  /** The Job that deletes a retired version's artifact: {@code <model>-clean-<version>}, as long as its name. */
  static String cleanupJobName(String trainingJob) {
    int at = trainingJob.lastIndexOf(TRAIN);
    return trainingJob.substring(0, at) + CLEAN + trainingJob.substring(at + TRAIN.length());
  }

  /** A Job whose pod runs {@code job --config /etc/serendip/<configFile>} from the ConfigMap named like the Job. */
  public static Job job(HasMetadata owner, String name, PodSpecInput pod) {
    return new JobBuilder()
        .withMetadata(Workloads.meta(owner, name, pod.component()))
        .withNewSpec()
        .withBackoffLimit(3)
        // A pod evicted or preempted is retried without counting; a deterministic refusal is not retried at all.
        .withNewPodFailurePolicy()
        .withRules(
            new PodFailurePolicyRuleBuilder().withAction("FailJob").withNewOnExitCodes()
                .withContainerName("job").withOperator("In").withValues(FINAL_EXIT_CODES).endOnExitCodes().build(),
            new PodFailurePolicyRuleBuilder().withAction("Ignore")
                .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().build())
        .endPodFailurePolicy()
        .withTemplate(PodTemplates.build(owner, pod))
        .endSpec()
        .build();
  }

  /** Creates the version's ConfigMap and Job where the informers have not seen them. */
  public static <P extends HasMetadata> void apply(Context<P> context, P owner, ConfigMap configMap, Job job) {
    String name = job.getMetadata().getName();
    applyConfig(context, owner, configMap);
    if (context.getSecondaryResources(Job.class).stream().noneMatch(j -> j.getMetadata().getName().equals(name))) {
      create(context, job, owner);
    }
  }

  /** Creates the version's Job-config ConfigMap where the informer has not seen it. */
  public static <P extends HasMetadata> void applyConfig(Context<P> context, P owner, ConfigMap configMap) {
    String name = configMap.getMetadata().getName();
    if (context.getSecondaryResources(ConfigMap.class).stream().noneMatch(c -> c.getMetadata().getName().equals(name))) {
      create(context, configMap, owner);
    }
  }

  private static void create(Context<?> context, HasMetadata object, HasMetadata owner) {
    object.addOwnerReference(owner);
    try {
      context.getClient().resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // already there: the informer had not caught up
        throw e;
      }
    }
  }

  /**
   * The version's state, and the Trained condition saying it: Succeeded, Failed (GatesFailed with the numbers when
   * the gates refused it, else TrainingFailed with the container's reason), or Pending/Running (or the kubelet's
   * reason when the pod cannot run).
   */
  public static <P extends HasMetadata> TrainingStatus status(Context<P> context, String version, String jobName,
      JobState state, String artifactPath, Optional<TrainingStatus.GateNumbers> gates,
      java.util.function.Function<TrainingStatus.GateNumbers, String> describe, Conditions conditions) {
    TrainingStatus status = new TrainingStatus();
    status.version = version;
    status.job = jobName;
    status.artifactPath = artifactPath;
    status.gates = gates.orElse(null);
    Collection<Pod> pods = jobPods(context.getSecondaryResources(Pod.class), jobName);
    String what = "training version " + version;
    switch (state) {
      case SUCCEEDED -> {
        status.state = "Succeeded";
        conditions.set(TRAINED, true, status.gates == null ? "Trained" : "GatesPassed",
            what + (status.gates == null ? " is trained" : " passed its gates: " + describe.apply(status.gates)));
      }
      case FAILED -> {
        status.state = "Failed";
        if (status.gates != null && !Boolean.TRUE.equals(status.gates.passed)) {
          conditions.set(TRAINED, false, "GatesFailed", what + " missed its gates: " + describe.apply(status.gates)
              + "; no artifact was written");
        } else {
          conditions.set(TRAINED, false, "TrainingFailed", what + " failed" + ContainerDiagnosis.failedContainer(pods)
              .map(m -> ": " + m).orElse("; see the logs of Job " + jobName));
        }
      }
      default -> {
        status.state = state == JobState.ABSENT ? "Pending" : "Running";
        progress(context, pods).ifPresent(p -> {
          status.epoch = p.progress().epoch();
          status.epochs = p.progress().epochs();
          status.percent = (int) Math.floor(p.progress().fraction() * 100);
          status.loss = p.progress().loss();
          status.validation = p.progress().validation();
          status.secondsLeft = p.progress().timeLeft(p.elapsed()).map(Duration::toSeconds).orElse(null);
        });
        Optional<ContainerDiagnosis.Problem> stuck = ContainerDiagnosis.firstProblem(pods);
        String progress = status.epoch == null ? "" : ", epoch " + status.epoch + "/" + status.epochs + " ("
            + status.percent + "%" + (status.secondsLeft == null ? "" : ", at most " + minutes(status.secondsLeft)
            + " left") + ")";
        conditions.set(TRAINED, false, stuck.map(ContainerDiagnosis.Problem::reason).orElse("Training"),
            stuck.map(ContainerDiagnosis.Problem::message).orElse(what + ": Job " + jobName + " is running" + progress));
      }
    }
    return status;
  }

  /** The state of the training Job {@code jobName}, as the informer last saw it. */
  public static JobState jobState(Context<?> context, String jobName) {
    return JobState.of(context.getSecondaryResources(Job.class).stream()
        .filter(j -> j.getMetadata().getName().equals(jobName)).findFirst());
  }

  /**
   * While a version trains (or after it failed) whatever serves keeps serving: its conditions are carried; the
   * owner is Ready only if something was serving, Reconciling while the Job runs, Stalled when it failed.
   */
  public static void whileTraining(Conditions conditions, TrainingStatus training, boolean serving) {
    boolean failed = "Failed".equals(training.state);
    var trained = conditions.current(TRAINED).orElseThrow();
    conditions.keep(Conditions.READY).keep(Conditions.REFERENCES_READY).keep(Conditions.INSUFFICIENT_GPU);
    if (!serving) {
      conditions.set(Conditions.REFERENCES_READY, true, "Resolved", "all references are ready")
          .set(Conditions.READY, false, trained.getReason(), trained.getMessage());
    }
    conditions.set(Conditions.RECONCILING, !failed, trained.getReason(), failed ? "" : trained.getMessage())
        .set(Conditions.STALLED, failed, trained.getReason(), failed ? trained.getMessage() : "");
  }

  private static String minutes(long seconds) {
    return seconds < 90 ? seconds + " s" : Math.round(seconds / 60.0) + " min";
  }

  /** How often a running training's progress is read again. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);
  private static final int LOG_LINES = 40;

  private record Observed(TrainingProgress progress, Duration elapsed) {}

  /** The progress in the running pod's last log lines, and how long it has run. */
  private static Optional<Observed> progress(Context<?> context, Collection<Pod> pods) {
    Optional<Pod> running = pods.stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .findFirst();
    if (running.isEmpty()) {
      return Optional.empty();
    }
    Pod pod = running.get();
    String log;
    try {
      log = context.getClient().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .inContainer(pod.getSpec().getContainers().get(0).getName()).tailingLines(LOG_LINES).getLog();
    } catch (KubernetesClientException e) {
      return Optional.empty(); // progress is a nicety: the pod may be gone or its log not yet readable
    }
    Instant started = Optional.ofNullable(pod.getStatus().getStartTime()).map(Instant::parse).orElse(Instant.now());
    return TrainingProgress.last(log == null ? List.of() : log.lines().toList())
        .map(p -> new Observed(p, Duration.between(started, Instant.now())));
  }

  /** Running trainings are looked at again after {@link #PROGRESS_INTERVAL}; nothing else needs a timer. */
  public static <P extends HasMetadata> UpdateControl<P> requeueWhileRunning(UpdateControl<P> control,
      TrainingStatus training) {
    return "Running".equals(training.state) ? control.rescheduleAfter(PROGRESS_INTERVAL) : control;
  }

  /** The pods of a training Job or PyTorchJob (their controllers label them with its name). */
  public static Collection<Pod> jobPods(Collection<Pod> pods, String jobName) {
    return pods.stream().filter(p -> jobName.equals(p.getMetadata().getLabels().get("job-name"))
        || jobName.equals(p.getMetadata().getLabels().get(PyTorchJobs.JOB_NAME_LABEL))).toList();
  }
}
