package io.serendip.operator.experiment;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.ServerDeploymentDependent;

/** The Deployment of an experiment's router. */
@KubernetesDependent(informer = @Informer(labelSelector = ExplorationExperimentReconciler.SELECTOR, itemStore = CompactItemStore.class))
public class RouterDeployment extends ServerDeploymentDependent<ExplorationExperiment> {}
