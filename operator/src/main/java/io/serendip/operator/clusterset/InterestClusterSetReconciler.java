package io.serendip.operator.clusterset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestClusterSetStatus;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.ContainerDiagnosis;
import io.serendip.operator.support.JobState;
import io.serendip.operator.support.ReferenceIndex;
import io.serendip.operator.support.StatusWriter;
import io.serendip.operator.workload.JobConfigMaps;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Builds the clusters of an InterestClusterSet with a Job and publishes the artifact path in status. */
@ControllerConfiguration(name = "interestclusterset", informer = @Informer(itemStore = CompactItemStore.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = ClusterBuildConfigMap.class, name = "build-config"),
      @Dependent(type = ClusterBuildJob.class, name = "build-job", dependsOn = "build-config")
    })
public class InterestClusterSetReconciler implements Reconciler<InterestClusterSet> {

  /** The build Job's pods: a pod the kubelet cannot run (image missing, bad config) is reported, not waited on. */
  @Override
  public List<EventSource<?, InterestClusterSet>> prepareEventSources(EventSourceContext<InterestClusterSet> context) {
    return List.of(ReferenceIndex.labelledEventSource("pods", Pod.class, InterestClusterSet.class, context));
  }

  @Override
  public UpdateControl<InterestClusterSet> reconcile(InterestClusterSet cs, Context<InterestClusterSet> context) {
    // validate: the Job's typed config, as the job itself will check it
    List<String> invalid = JobConfigMaps.validate(ClusterBuildJob.configFiles(cs));
    if (!invalid.isEmpty()) {
      InterestClusterSetStatus previous = cs.getStatus() == null ? new InterestClusterSetStatus() : cs.getStatus();
      InterestClusterSetStatus next = new InterestClusterSetStatus();
      next.observedGeneration = cs.getMetadata().getGeneration();
      next.artifactPath = previous.artifactPath;
      next.clusters = previous.clusters;
      Conditions conditions = new Conditions(previous.conditions, cs.getMetadata().getGeneration(), Instant.now());
      String why = String.join("; ", invalid);
      conditions.set(Conditions.READY, false, "InvalidConfig", why)
          .set(Conditions.RECONCILING, false, "InvalidConfig", "")
          .set(Conditions.STALLED, true, "InvalidConfig", why);
      next.conditions = conditions.build();
      return StatusWriter.patchIfChanged(context, cs, previous, next, InterestClusterSet::setStatus);
    }
    // apply
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    // observe + report
    String jobName = ClusterSetVersion.buildJobName(cs);
    Optional<Job> job = context.getSecondaryResources(Job.class).stream()
        .filter(j -> j.getMetadata().getName().equals(jobName))
        .findFirst();
    InterestClusterSetStatus previous = cs.getStatus() == null ? new InterestClusterSetStatus() : cs.getStatus();
    InterestClusterSetStatus next = new InterestClusterSetStatus();
    next.observedGeneration = cs.getMetadata().getGeneration();
    next.version = ClusterSetVersion.of(cs);
    next.buildJob = jobName;
    next.artifactPath = previous.artifactPath;
    next.clusters = previous.clusters;
    Conditions conditions = new Conditions(previous.conditions, cs.getMetadata().getGeneration(), Instant.now());
    switch (JobState.of(job)) {
      case SUCCEEDED -> {
        next.artifactPath = ClusterSetVersion.artifactPath(cs);
        next.clusters = cs.getSpec().levels.get(cs.getSpec().servingLevel).clusters;
        conditions.set(Conditions.READY, true, "Built", "cluster artifact " + next.version + " is published")
            .set(Conditions.RECONCILING, false, "Built", "")
            .set(Conditions.STALLED, false, "Built", "");
      }
      case FAILED -> {
        String why = "build Job " + jobName + " failed"
            + ContainerDiagnosis.failedContainer(buildPods(context, jobName)).map(m -> ": " + m).orElse("; see its pods' logs");
        conditions.set(Conditions.READY, false, "BuildFailed", why)
            .set(Conditions.RECONCILING, false, "BuildFailed", "")
            .set(Conditions.STALLED, true, "BuildFailed", why);
      }
      default -> {
        Optional<ContainerDiagnosis.Problem> stuck = ContainerDiagnosis.firstProblem(buildPods(context, jobName));
        if (stuck.isPresent()) {
          conditions.set(Conditions.READY, false, stuck.get().reason(), stuck.get().message())
              .set(Conditions.RECONCILING, false, stuck.get().reason(), "")
              .set(Conditions.STALLED, true, stuck.get().reason(), stuck.get().message());
        } else {
          conditions.set(Conditions.READY, false, "Building", "build Job " + jobName + " is running")
              .set(Conditions.RECONCILING, true, "Building", "building cluster artifact " + next.version)
              .set(Conditions.STALLED, false, "Building", "");
        }
      }
    }
    next.conditions = conditions.build();
    return StatusWriter.patchIfChanged(context, cs, previous, next, InterestClusterSet::setStatus);
  }

  private static Collection<Pod> buildPods(Context<InterestClusterSet> context, String jobName) {
    return context.getSecondaryResources(Pod.class).stream()
        .filter(p -> jobName.equals(p.getMetadata().getLabels().get("job-name")))
        .toList();
  }
}
