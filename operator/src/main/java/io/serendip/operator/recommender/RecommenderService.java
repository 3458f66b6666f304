package io.serendip.operator.recommender;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.ServerServiceDependent;

/** The Service of a RecommenderModel's server. */
@KubernetesDependent(informer = @Informer(labelSelector = RecommenderModelReconciler.SELECTOR, itemStore = CompactItemStore.class))
public class RecommenderService extends ServerServiceDependent<RecommenderModel> {}
