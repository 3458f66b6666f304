package io.serendip.operator.interestmodel;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import io.serendip.config.Device;
import io.serendip.config.InterestModelSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.ServerSettings;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelEngine;
import io.serendip.operator.api.InterestModelStatus;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.ContainerDiagnosis;
import io.serendip.operator.support.JobState;
import io.serendip.operator.support.Labels;
import io.serendip.operator.support.ReferenceIndex;
import io.serendip.operator.support.ServingConditions;
import io.serendip.operator.support.StatusWriter;
import io.serendip.operator.workload.DeploymentReadiness;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.TrainingJobs;
import io.serendip.operator.workload.VersionRetention;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.PyTorchJobs;
import io.serendip.operator.workload.ServerPlan;
import io.serendip.operator.workload.Workloads;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * InterestModel: observe the referenced cluster set, validate the runtime config, apply the server
 * (ConfigMap, Deployment, Service, PDB) and the novelty precompute (Indexed Job, then merge Job),
 * and report status.
 */
@ControllerConfiguration(name = "interestmodel", informer = @Informer(itemStore = CompactItemStore.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = InterestModelConfigMap.class, name = "config"),
      @Dependent(type = InterestModelDeployment.class, name = "deployment", dependsOn = "config"),
      @Dependent(type = InterestModelService.class, name = "service"),
      @Dependent(type = InterestModelPdb.class, name = "pdb"),
      @Dependent(type = NoveltyJobsConfigMap.class, name = "novelty-jobs"),
      @Dependent(type = NoveltyPrecomputeJob.class, name = "precompute", dependsOn = "novelty-jobs",
          readyPostcondition = PrecomputeSucceeded.class),
      @Dependent(type = NoveltyMergeJob.class, name = "merge", dependsOn = "precompute")
    })
public class InterestModelReconciler implements Reconciler<InterestModel> {
  public static final String COMPONENT = "interest-model";
  private static final String MANAGED =
      "app.kubernetes.io/managed-by=serendip-operator,serendip.io/owner-kind=InterestModel,app.kubernetes.io/component=";
  public static final String SELECTOR = MANAGED + COMPONENT;
  public static final String PRECOMPUTE_SELECTOR = MANAGED + NoveltyPrecomputeJob.COMPONENT;
  public static final String MERGE_SELECTOR = MANAGED + NoveltyMergeJob.COMPONENT;
  public static final String NOVELTY_JOBS_SELECTOR = MANAGED + NoveltyJobsConfigMap.COMPONENT;

  @Override
  public List<EventSource<?, InterestModel>> prepareEventSources(EventSourceContext<InterestModel> context) {
    return List.of(
        ReferenceIndex.eventSource("clusterset-refs", InterestClusterSet.class, InterestModel.class, context,
            im -> ReferenceIndex.one(im.getSpec().clusterSetRef)),
        ReferenceIndex.labelledEventSource("pods", Pod.class, InterestModel.class, context),
        ReferenceIndex.componentEventSource("training-jobs", Job.class, InterestModel.class,
            InterestModelTrainingJob.COMPONENT, context),
        ReferenceIndex.componentEventSource("training-configs", ConfigMap.class, InterestModel.class,
            InterestModelTrainingJob.COMPONENT, context));
  }

  @Override
  public UpdateControl<InterestModel> reconcile(InterestModel im, Context<InterestModel> context) {
    InterestModelStatus previous = im.getStatus() == null ? new InterestModelStatus() : im.getStatus();
    InterestModelStatus next = new InterestModelStatus();
    next.observedGeneration = im.getMetadata().getGeneration();
    next.noveltyTable = previous.noveltyTable;
    Conditions conditions = new Conditions(previous.conditions, im.getMetadata().getGeneration(), Instant.now());

    // observe + validate references
    Optional<InterestClusterSet> clusterSet = context.getSecondaryResource(InterestClusterSet.class);
    String clustersPath = clusterSet.map(cs -> cs.getStatus() == null ? null : cs.getStatus().artifactPath).orElse(null);
    if (clusterSet.isEmpty() || clustersPath == null) {
      ServingConditions.referencesNotReady(conditions, clusterSet.isEmpty() ? "ReferenceNotFound" : "ReferenceNotReady",
          "InterestClusterSet " + im.getSpec().clusterSetRef
              + (clusterSet.isEmpty() ? " does not exist" : " has no published artifact yet"));
      next.conditions = conditions.build();
      return StatusWriter.patchIfChanged(context, im, previous, next, InterestModel::setStatus);
    }
    next.clustersPath = clustersPath;

    // the model: trained here (a training version that passed its gates) or brought
    String artifactPath;
    String artifactDigest = null;
    if (im.getSpec().training != null) {
      TrainingPlan training = TrainingPlan.of(im, clustersPath);
      List<String> invalid = JobConfigMaps.validate(training.configFiles());
      if (!invalid.isEmpty()) {
        ServingConditions.invalidConfig(conditions, String.join("; ", invalid));
        next.conditions = conditions.build();
        return StatusWriter.patchIfChanged(context, im, previous, next, InterestModel::setStatus);
      }
      Optional<JobState> state = applyTraining(im, training, context);
      VersionRetention.apply(context, im, VersionRetention.Kind.training(InterestModelTrainingJob.COMPONENT), training.jobName(), previous.artifactPath,
          im.getSpec().training.revisionHistoryLimit, im.getSpec().storage, im.getSpec().pod);
      next.training = TrainingJobs.status(context, training.version(), training.jobName(),
          state.orElse(JobState.ABSENT), training.artifactPath(),
          InterestModelTrainingJob.gates(context.getSecondaryResources(Pod.class), training.jobName()),
          InterestModelTrainingJob::describe, conditions);
      if (state.isEmpty()) {
        int workers = TrainingPlan.workers(im.getSpec().training);
        conditions.set(TrainingJobs.TRAINED, false, "PyTorchJobUnavailable", "spec.training.workers is " + workers
            + ": training with several workers runs as a Kubeflow PyTorchJob (" + PyTorchJobs.API_VERSION
            + "), which this cluster does not serve; install the Kubeflow Training Operator or set workers to 1");
        return StatusWriter.patchIfChanged(context, im, previous, whileTraining(previous, next, conditions),
            InterestModel::setStatus).rescheduleAfter(TrainingJobs.PROGRESS_INTERVAL);
      }
      if (!"Succeeded".equals(next.training.state)) {
        // Until the new version passes, whatever serves keeps serving: nothing else is touched.
        return TrainingJobs.requeueWhileRunning(StatusWriter.patchIfChanged(context, im, previous,
            whileTraining(previous, next, conditions), InterestModel::setStatus), next.training);
      }
      artifactPath = training.artifactPath();
    } else {
      artifactPath = im.getSpec().artifact.path;
      artifactDigest = im.getSpec().artifact.digest;
    }
    next.artifactPath = artifactPath;

    RuntimeConfig config = runtimeConfig(im, clustersPath, artifactPath);
    List<String> errors = ConfigValidator.validate(config);
    if (!errors.isEmpty()) {
      ServingConditions.invalidConfig(conditions, String.join("; ", errors));
      next.conditions = conditions.build();
      return StatusWriter.patchIfChanged(context, im, previous, next, InterestModel::setStatus);
    }

    NoveltyTableVersion table = NoveltyTableVersion.of(im, clustersPath, artifactPath, artifactDigest);
    PrecomputePlan plan = new PrecomputePlan(table, clustersPath, artifactPath);
    errors = JobConfigMaps.validate(plan.jobConfigs(im));
    if (!errors.isEmpty()) {
      ServingConditions.invalidConfig(conditions, String.join("; ", errors));
      next.conditions = conditions.build();
      return StatusWriter.patchIfChanged(context, im, previous, next, InterestModel::setStatus);
    }

    // apply
    ServerPlan.put(context, serverPlan(im, config));
    PrecomputePlan.put(context, plan);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    // report
    Optional<Job> precompute = job(context, table.precomputeJob());
    Optional<Job> merge = job(context, table.mergeJob());
    next.tableVersion = table.version();
    next.precomputedShards = JobState.succeededPods(precompute);
    JobState mergeState = JobState.of(merge);
    if (mergeState == JobState.SUCCEEDED) {
      next.noveltyTable = table.path();
    }
    VersionRetention.apply(context, im, NoveltyTableVersion.VERSIONS, table.jobConfigMap(),
        next.noveltyTable == null ? null : NoveltyTableVersion.directoryOf(next.noveltyTable),
        NoveltyTableVersion.precompute(im.getSpec()).revisionHistoryLimit, im.getSpec().storage, im.getSpec().pod);
    DeploymentReadiness serving = DeploymentReadiness.of(context.getSecondaryResource(Deployment.class));
    next.replicas = serving.desired();
    next.readyReplicas = serving.ready();
    next.selector = Labels.selectorString(im, COMPONENT);
    next.url = Workloads.serviceUrl(serverName(im), im.getMetadata().getNamespace());
    if (mergeState == JobState.FAILED || JobState.of(precompute) == JobState.FAILED) {
      conditions.set("GatesPassed", false, "PrecomputeFailed",
          "novelty table " + table.version() + " failed its precompute or quality gates"
              + ContainerDiagnosis.failedContainer(context.getSecondaryResources(Pod.class)).map(m -> ": " + m).orElse(""));
    } else if (mergeState == JobState.SUCCEEDED) {
      conditions.set("GatesPassed", true, "Passed", "novelty table " + table.version() + " passed the gates");
    }
    ServingConditions.applied(conditions, serving, context.getSecondaryResources(Pod.class),
        next.noveltyTable != null,
        "precomputing novelty table " + table.version() + ": " + next.precomputedShards + " shards done");
    next.conditions = conditions.build();
    return StatusWriter.patchIfChanged(context, im, previous, next, InterestModel::setStatus);
  }

  /**
   * Creates the training version's config and its Job, or its PyTorchJob with several workers; the state of
   * either, or empty when several workers are asked for and the cluster has no PyTorchJob API.
   */
  private static Optional<JobState> applyTraining(InterestModel im, TrainingPlan training,
      Context<InterestModel> context) {
    if (TrainingPlan.workers(im.getSpec().training) == 1) {
      TrainingJobs.apply(context, im, InterestModelTrainingJob.configMap(im, training),
          InterestModelTrainingJob.job(im, training));
      return Optional.of(TrainingJobs.jobState(context, training.jobName()));
    }
    var existing = PyTorchJobs.get(context.getClient(), im.getMetadata().getNamespace(), training.jobName());
    if (existing.isPresent()) {
      return Optional.of(PyTorchJobs.state(existing));
    }
    // discovery only on the way to creating it: a GET cannot tell a missing object from a missing API
    if (!PyTorchJobs.available(context.getClient())) {
      return Optional.empty();
    }
    TrainingJobs.applyConfig(context, im, InterestModelTrainingJob.configMap(im, training));
    PyTorchJobs.create(context.getClient(), im, InterestModelTrainingJob.pyTorchJob(im, training));
    return Optional.of(JobState.RUNNING);
  }

  static String serverName(InterestModel im) {
    return im.getMetadata().getName() + "-" + COMPONENT;
  }

  /** The status of what serves (from before), with the new training's state and conditions. */
  private static InterestModelStatus whileTraining(InterestModelStatus previous, InterestModelStatus next,
      Conditions conditions) {
    next.artifactPath = previous.artifactPath;
    next.tableVersion = previous.tableVersion;
    next.precomputedShards = previous.precomputedShards;
    next.replicas = previous.replicas;
    next.readyReplicas = previous.readyReplicas;
    next.selector = previous.selector;
    next.url = previous.url;
    conditions.keep("GatesPassed");
    TrainingJobs.whileTraining(conditions, next.training, previous.noveltyTable != null);
    next.conditions = conditions.build();
    return next;
  }

  static RuntimeConfig runtimeConfig(InterestModel im, String clustersPath, String artifactPath) {
    var s = im.getSpec();
    int gpus = s.resources == null || s.resources.gpus == null ? 0 : s.resources.gpus;
    return RuntimeConfig.interestModel(
        new ServerSettings(PodTemplates.HTTP_PORT, null, null, null),
        new InterestModelSettings(artifactPath, clustersPath, s.historyLength, s.candidates,
            gpus > 0 ? Device.GPU : Device.CPU));
  }

  static ServerPlan serverPlan(InterestModel im, RuntimeConfig config) {
    var s = im.getSpec();
    String name = serverName(im);
    PodSpecInput pod = new PodSpecInput(COMPONENT,
        List.of(COMPONENT, "--config", PodTemplates.CONFIG_FILE),
        s.resources, s.pod, s.storage, name + "-config", Workloads.configHash(config), true,
        s.engine == InterestModelEngine.Transformers);
    return new ServerPlan(name, config, pod, s.replicas);
  }

  private static Optional<Job> job(Context<InterestModel> context, String name) {
    return context.getSecondaryResources(Job.class).stream()
        .filter(j -> j.getMetadata().getName().equals(name))
        .findFirst();
  }
}
