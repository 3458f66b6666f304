package io.serendip.operator.recommender;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.api.RecommenderModelSpec;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.Workloads;

/** Optional CPU-based HorizontalPodAutoscaler of the recommender Deployment. */
@KubernetesDependent(informer = @Informer(labelSelector = RecommenderModelReconciler.SELECTOR, itemStore = CompactItemStore.class))
public class RecommenderAutoscaler extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, RecommenderModel> {
  public RecommenderAutoscaler() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  protected HorizontalPodAutoscaler desired(RecommenderModel rm, Context<RecommenderModel> context) {
    // Also called to name the HPA when autoscaling was removed and it is being deleted.
    var a = rm.getSpec().autoscaling == null ? new RecommenderModelSpec.Autoscaling() : rm.getSpec().autoscaling;
    String target = RecommenderModelReconciler.serverName(rm);
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(Workloads.meta(rm, target, RecommenderModelReconciler.COMPONENT))
        .withNewSpec()
        .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(target).endScaleTargetRef()
        .withMinReplicas(a.minReplicas)
        .withMaxReplicas(a.maxReplicas == null ? a.minReplicas : a.maxReplicas)
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget().withType("Utilization").withAverageUtilization(a.targetCPUUtilizationPercentage).endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }
}
