package io.serendip.operator.interestmodel;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.support.JobState;

/** The merge Job waits until every shard of the precompute Job has succeeded. */
public class PrecomputeSucceeded implements Condition<Job, InterestModel> {
  @Override
  public boolean isMet(DependentResource<Job, InterestModel> dependent, InterestModel primary, Context<InterestModel> context) {
    return JobState.of(dependent.getSecondaryResource(primary, context)) == JobState.SUCCEEDED;
  }
}
