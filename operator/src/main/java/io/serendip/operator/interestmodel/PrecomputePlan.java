package io.serendip.operator.interestmodel;

import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The precompute inputs one reconcile hands to the two Job dependents. */
record PrecomputePlan(NoveltyTable table, String clustersPath) {
  private static final String KEY = "serendip.precomputePlan";

  static void put(Context<?> context, PrecomputePlan plan) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, plan);
  }

  static PrecomputePlan get(Context<?> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, PrecomputePlan.class);
  }
}
