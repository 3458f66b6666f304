package io.serendip.operator.clusterset;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestClusterSetStatus;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.JobState;
import io.serendip.operator.support.StatusWriter;
import java.time.Instant;
import java.util.Optional;

/** Builds the clusters of an InterestClusterSet with a Job and publishes the artifact path in status. */
@ControllerConfiguration(name = "interestclusterset", informer = @Informer(itemStore = CompactItemStore.class))
@Workflow(dependents = @Dependent(type = ClusterBuildJob.class, name = "build-job"))
public class InterestClusterSetReconciler implements Reconciler<InterestClusterSet> {

  @Override
  public UpdateControl<InterestClusterSet> reconcile(InterestClusterSet cs, Context<InterestClusterSet> context) {
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
      case FAILED -> conditions
          .set(Conditions.READY, false, "BuildFailed", "build Job " + jobName + " failed; see its pods' logs")
          .set(Conditions.RECONCILING, false, "BuildFailed", "")
          .set(Conditions.STALLED, true, "BuildFailed", "build Job " + jobName + " failed");
      default -> conditions
          .set(Conditions.READY, false, "Building", "build Job " + jobName + " is running")
          .set(Conditions.RECONCILING, true, "Building", "building cluster artifact " + next.version)
          .set(Conditions.STALLED, false, "Building", "");
    }
    next.conditions = conditions.build();
    return StatusWriter.patchIfChanged(context, cs, previous, next, InterestClusterSet::setStatus);
  }
}
