package io.serendip.operator.recommender;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.serendip.operator.api.RecommenderModel;

/** The HPA exists only while spec.autoscaling is set; removing it deletes the HPA. */
public class AutoscalingEnabled implements Condition<HorizontalPodAutoscaler, RecommenderModel> {
  @Override
  public boolean isMet(DependentResource<HorizontalPodAutoscaler, RecommenderModel> dependent,
      RecommenderModel primary, Context<RecommenderModel> context) {
    return primary.getSpec().autoscaling != null;
  }
}
