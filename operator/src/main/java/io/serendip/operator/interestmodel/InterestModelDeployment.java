package io.serendip.operator.interestmodel;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.ServerDeploymentDependent;

/** The Deployment of an InterestModel's online server. */
@KubernetesDependent(informer = @Informer(labelSelector = InterestModelReconciler.SELECTOR, itemStore = CompactItemStore.class))
public class InterestModelDeployment extends ServerDeploymentDependent<InterestModel> {}
