package io.serendip.operator.recommender;

import io.serendip.operator.workload.TrainingJobs;
import io.serendip.operator.workload.VersionRetention;
import io.serendip.operator.workload.JobConfigMaps;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.ConfigMap;
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
import io.serendip.config.Device;
import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.ServerSettings;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.api.RecommenderModelStatus;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.Labels;
import io.serendip.operator.support.ReferenceIndex;
import io.serendip.operator.support.ServingConditions;
import io.serendip.operator.support.StatusWriter;
import io.serendip.operator.workload.DeploymentReadiness;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.ServerPlan;
import io.serendip.operator.workload.Workloads;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** RecommenderModel: resolves cluster set and novelty table, runs the recommender servers. */
@ControllerConfiguration(name = "recommendermodel", informer = @Informer(itemStore = CompactItemStore.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = RecommenderConfigMap.class, name = "config"),
      @Dependent(type = RecommenderDeployment.class, name = "deployment", dependsOn = "config"),
      @Dependent(type = RecommenderService.class, name = "service"),
      @Dependent(type = RecommenderPdb.class, name = "pdb"),
      @Dependent(type = RecommenderAutoscaler.class, name = "hpa", reconcilePrecondition = AutoscalingEnabled.class)
    })
public class RecommenderModelReconciler implements Reconciler<RecommenderModel> {
  public static final String COMPONENT = "recommender";
  public static final String SELECTOR =
      "app.kubernetes.io/managed-by=serendip-operator,serendip.io/owner-kind=RecommenderModel";

  @Override
  public List<EventSource<?, RecommenderModel>> prepareEventSources(EventSourceContext<RecommenderModel> context) {
    return List.of(
        ReferenceIndex.eventSource("clusterset-refs", InterestClusterSet.class, RecommenderModel.class, context,
            rm -> ReferenceIndex.one(rm.getSpec().clusterSetRef)),
        ReferenceIndex.eventSource("interestmodel-refs", InterestModel.class, RecommenderModel.class, context,
            rm -> ReferenceIndex.one(rm.getSpec().interestModelRef)),
        ReferenceIndex.labelledEventSource("pods", Pod.class, RecommenderModel.class, context),
        ReferenceIndex.componentEventSource("training-jobs", Job.class, RecommenderModel.class,
            RecommenderTrainingJob.COMPONENT, context),
        ReferenceIndex.componentEventSource("training-configs", ConfigMap.class, RecommenderModel.class,
            RecommenderTrainingJob.COMPONENT, context),
        ReferenceIndex.referrersEventSource(EXPERIMENTS, ExplorationExperiment.class, RecommenderModel.class, context,
            xp -> xp.getSpec().arms.stream().map(a -> a.recommenderRef).distinct().toList()));
  }

  /** The event source of the experiments whose arms this controller's models serve. */
  static final String EXPERIMENTS = "experiment-refs";

  @Override
  public UpdateControl<RecommenderModel> reconcile(RecommenderModel rm, Context<RecommenderModel> context) {
    RecommenderModelStatus previous = rm.getStatus() == null ? new RecommenderModelStatus() : rm.getStatus();
    RecommenderModelStatus next = new RecommenderModelStatus();
    next.observedGeneration = rm.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous.conditions, rm.getMetadata().getGeneration(), Instant.now());

    Optional<InterestClusterSet> clusterSet = context.getSecondaryResource(InterestClusterSet.class);
    Optional<InterestModel> interestModel = context.getSecondaryResource(InterestModel.class);
    String clustersPath = clusterSet.map(cs -> cs.getStatus() == null ? null : cs.getStatus().artifactPath).orElse(null);
    String noveltyTable = interestModel.map(im -> im.getStatus() == null ? null : im.getStatus().noveltyTable).orElse(null);
    String missing = missingReference(rm, clusterSet, clustersPath, interestModel, noveltyTable);
    if (missing != null) {
      boolean notFound = missing.endsWith("does not exist");
      ServingConditions.referencesNotReady(conditions, notFound ? "ReferenceNotFound" : "ReferenceNotReady", missing);
      next.conditions = conditions.build();
      return StatusWriter.patchIfChanged(context, rm, previous, next, RecommenderModel::setStatus);
    }
    next.clustersPath = clustersPath;
    next.noveltyTable = noveltyTable;

    // the model: trained here (the version spec.training asks for, once trained) or brought
    String artifactPath;
    if (rm.getSpec().training != null) {
      RecommenderTrainingJob training = RecommenderTrainingJob.of(rm, clustersPath);
      List<String> invalid = JobConfigMaps.validate(training.configFiles());
      if (!invalid.isEmpty()) {
        ServingConditions.invalidConfig(conditions, String.join("; ", invalid));
        next.conditions = conditions.build();
        return StatusWriter.patchIfChanged(context, rm, previous, next, RecommenderModel::setStatus);
      }
      TrainingJobs.apply(context, rm, training.configMap(rm), training.job(rm));
      VersionRetention.apply(context, rm, VersionRetention.Kind.training(RecommenderTrainingJob.COMPONENT), training.jobName(), previous.artifactPath,
          rm.getSpec().training.revisionHistoryLimit, rm.getSpec().storage, rm.getSpec().pod);
      next.training = TrainingJobs.status(context, training.version(), training.jobName(),
          TrainingJobs.jobState(context, training.jobName()), training.artifactPath(),
          Optional.empty(), g -> "", conditions);
      if (!"Succeeded".equals(next.training.state)) {
        // Until the new version is trained, whatever serves keeps serving: nothing else is touched.
        next.artifactPath = previous.artifactPath;
        next.noveltyTable = previous.noveltyTable;
        next.replicas = previous.replicas;
        next.readyReplicas = previous.readyReplicas;
        next.selector = previous.selector;
        next.url = previous.url;
        TrainingJobs.whileTraining(conditions, next.training, previous.artifactPath != null);
        next.conditions = conditions.build();
        return TrainingJobs.requeueWhileRunning(
            StatusWriter.patchIfChanged(context, rm, previous, next, RecommenderModel::setStatus), next.training);
      }
      artifactPath = training.artifactPath();
    } else {
      artifactPath = rm.getSpec().artifact.path;
    }
    next.artifactPath = artifactPath;
    RuntimeConfig config = runtimeConfig(rm, clustersPath, noveltyTable, artifactPath);
    List<String> errors = ConfigValidator.validate(config);
    if (!errors.isEmpty()) {
      ServingConditions.invalidConfig(conditions, String.join("; ", errors));
      next.conditions = conditions.build();
      return StatusWriter.patchIfChanged(context, rm, previous, next, RecommenderModel::setStatus);
    }

    // capacity follows the experiments' traffic: a treatment arm ramping up runs its share of spec.replicas
    List<TrafficCapacity.Use> uses = TrafficCapacity.uses(rm.getMetadata().getName(),
        ReferenceIndex.referrers(context, EXPERIMENTS, ExplorationExperiment.class, rm));
    int replicas = TrafficCapacity.replicas(rm.getSpec().replicas == null ? 1 : rm.getSpec().replicas, uses);
    double share = TrafficCapacity.share(uses);
    next.trafficShare = share < 1 ? String.format(java.util.Locale.ROOT, "%.4f", share) : null;
    ServerPlan.put(context, serverPlan(rm, config, replicas));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    DeploymentReadiness serving = DeploymentReadiness.of(context.getSecondaryResource(Deployment.class));
    next.replicas = serving.desired();
    next.readyReplicas = serving.ready();
    next.selector = Labels.selectorString(rm, COMPONENT);
    next.url = Workloads.serviceUrl(serverName(rm), rm.getMetadata().getNamespace());
    ServingConditions.applied(conditions, serving, context.getSecondaryResources(Pod.class), true, "");
    next.conditions = conditions.build();
    return StatusWriter.patchIfChanged(context, rm, previous, next, RecommenderModel::setStatus);
  }

  private static String missingReference(RecommenderModel rm, Optional<InterestClusterSet> clusterSet,
      String clustersPath, Optional<InterestModel> interestModel, String noveltyTable) {
    if (clusterSet.isEmpty()) {
      return "InterestClusterSet " + rm.getSpec().clusterSetRef + " does not exist";
    }
    if (clustersPath == null) {
      return "InterestClusterSet " + rm.getSpec().clusterSetRef + " has no published artifact yet";
    }
    if (interestModel.isEmpty()) {
      return "InterestModel " + rm.getSpec().interestModelRef + " does not exist";
    }
    if (noveltyTable == null) {
      return "InterestModel " + rm.getSpec().interestModelRef + " has no published novelty table yet";
    }
    return null;
  }

  public static String serverName(RecommenderModel rm) {
    return rm.getMetadata().getName() + "-" + COMPONENT;
  }

  static RuntimeConfig runtimeConfig(RecommenderModel rm, String clustersPath, String noveltyTable,
      String artifactPath) {
    var s = rm.getSpec();
    int gpus = s.resources == null || s.resources.gpus == null ? 0 : s.resources.gpus;
    return RuntimeConfig.recommender(
        new ServerSettings(PodTemplates.HTTP_PORT, null, s.maxHistory, null),
        new RecommenderSettings(artifactPath, clustersPath, noveltyTable, s.defaultSlateSize, null,
            gpus > 0 ? Device.GPU : Device.CPU, s.maxBatchSize, s.maxBatchDelayMicros));
  }

  static ServerPlan serverPlan(RecommenderModel rm, RuntimeConfig config) {
    return serverPlan(rm, config, rm.getSpec().replicas);
  }

  /** The server with {@code replicas} pods (ignored while autoscaling is set: the HPA follows the load). */
  static ServerPlan serverPlan(RecommenderModel rm, RuntimeConfig config, Integer replicas) {
    var s = rm.getSpec();
    String name = serverName(rm);
    PodSpecInput pod = new PodSpecInput(COMPONENT, List.of(COMPONENT, "--config", PodTemplates.CONFIG_FILE),
        s.resources, s.pod, s.storage, name + "-config", Workloads.configHash(config), true);
    return new ServerPlan(name, config, pod, s.autoscaling == null ? replicas : null);
  }
}
