package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.support.Labels;

/** Pure builders of the standard objects around a runtime server: ConfigMap, Deployment, Service, PDB. */
public final class Workloads {
  public static final String CONFIG_KEY = "config.yaml";

  private Workloads() {}

  public static ObjectMeta meta(HasMetadata owner, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(Labels.of(owner, component))
        .build();
  }

  /** The runtime YAML, written deterministically so the hash only changes with the content. */
  public static ConfigMap configMap(HasMetadata owner, String name, String component, RuntimeConfig config) {
    return new ConfigMapBuilder()
        .withMetadata(meta(owner, name, component))
        .addToData(CONFIG_KEY, RuntimeConfigs.write(config))
        .build();
  }

  public static String configHash(RuntimeConfig config) {
    return ContentHash.of(RuntimeConfigs.write(config));
  }

  public static Deployment deployment(HasMetadata owner, String name, int replicas, PodSpecInput pod) {
    return new DeploymentBuilder()
        .withMetadata(meta(owner, name, pod.component()))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().withMatchLabels(Labels.selector(owner, pod.component())).endSelector()
        .withTemplate(PodTemplates.build(owner, pod))
        .endSpec()
        .build();
  }

  /** Like {@link #deployment} but leaves replicas to an autoscaler. */
  public static Deployment deploymentWithoutReplicas(HasMetadata owner, String name, PodSpecInput pod) {
    Deployment d = deployment(owner, name, 1, pod);
    d.getSpec().setReplicas(null);
    return d;
  }

  public static Service service(HasMetadata owner, String name, String component) {
    return new ServiceBuilder()
        .withMetadata(meta(owner, name, component))
        .withNewSpec()
        .withSelector(Labels.selector(owner, component))
        .addNewPort()
        .withName("http")
        .withPort(PodTemplates.HTTP_PORT)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /** At most one server pod down at a time for voluntary disruptions. */
  public static PodDisruptionBudget pdb(HasMetadata owner, String name, String component) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(meta(owner, name, component))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(Labels.selector(owner, component)).endSelector()
        .endSpec()
        .build();
  }

  public static String serviceUrl(String name, String namespace) {
    return "http://" + name + "." + namespace + ".svc:" + PodTemplates.HTTP_PORT;
  }
}
