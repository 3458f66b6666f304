package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serendip.operator.support.JobState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training of several workers as a Kubeflow Training Operator {@code PyTorchJob} (kubeflow.org/v1): one Master and
 * {@code workers - 1} Worker pods from the same pod template as a single-pod training Job. The Training Operator
 * tells each pod {@code WORLD_SIZE}, {@code RANK}, {@code MASTER_ADDR} and {@code MASTER_PORT}; the job reads them
 * and the LLM component trains with DistributedDataParallel. The Training Operator owns the pods, their Service
 * and their restarts; this operator creates the object once per version, reads its conditions and deletes it.
 */
public final class PyTorchJobs {
  public static final String API_VERSION = "kubeflow.org/v1";
  public static final String KIND = "PyTorchJob";
  /** The label the Training Operator puts on a PyTorchJob's pods. */
  public static final String JOB_NAME_LABEL = "training.kubeflow.org/job-name";
  /** The Training Operator finds the training container by this name. */
  static final String CONTAINER = "pytorch";
  /** The port the workers meet the Master on: the Training Operator's default, named as it looks for it. */
  static final int PORT = 23456;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** Spelled out, so that no call needs the API's discovery (which fails while the CRD is not installed). */
  private static final ResourceDefinitionContext RESOURCE = new ResourceDefinitionContext.Builder()
      .withGroup("kubeflow.org").withVersion("v1").withKind(KIND).withPlural("pytorchjobs").withNamespaced(true)
      .build();

  private PyTorchJobs() {}

  /** Whether the cluster serves the PyTorchJob API (the Training Operator's CRD is installed). */
  public static boolean available(KubernetesClient client) {
    try {
      return client.supports(API_VERSION, KIND);
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /**
   * The PyTorchJob of one training version. Restart policy {@code ExitCode}: a pod killed by a signal (evicted,
   * preempted, OOM) is restarted, one that exited with its own code (a refused input, a missed gate, divergence) is
   * not: the Training Operator's counterpart of the single-pod Job's pod failure policy.
   */
  public static GenericKubernetesResource build(HasMetadata owner, String name, PodSpecInput pod, int workers) {
    PodTemplateSpec template = PodTemplates.build(owner, pod);
    template.getSpec().setRestartPolicy(null); // the replica's restartPolicy decides
    var container = template.getSpec().getContainers().get(0);
    container.setName(CONTAINER);
    container.setPorts(List.of(new ContainerPortBuilder().withName("pytorchjob-port").withContainerPort(PORT).build()));
    Map<String, Object> replicaSpecs = new LinkedHashMap<>();
    replicaSpecs.put("Master", replica(1, template));
    replicaSpecs.put("Worker", replica(workers - 1, template));
    Map<String, Object> runPolicy = new LinkedHashMap<>();
    runPolicy.put("backoffLimit", 3);
    runPolicy.put("cleanPodPolicy", "None"); // finished pods keep their termination message (the gate numbers)
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("runPolicy", runPolicy);
    spec.put("pytorchReplicaSpecs", replicaSpecs);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(KIND)
        .withMetadata(Workloads.meta(owner, name, pod.component()))
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  private static Map<String, Object> replica(int replicas, PodTemplateSpec template) {
    Map<String, Object> replica = new LinkedHashMap<>();
    replica.put("replicas", replicas);
    replica.put("restartPolicy", "ExitCode");
    replica.put("template", SERIALIZATION.convertValue(template, Map.class));
    return replica;
  }

  public static Optional<GenericKubernetesResource> get(KubernetesClient client, String namespace, String name) {
    return Optional.ofNullable(client.genericKubernetesResources(RESOURCE).inNamespace(namespace)
        .withName(name).get());
  }

  /** Creates the version's PyTorchJob, owned by the model, unless it exists. */
  public static void create(KubernetesClient client, HasMetadata owner, GenericKubernetesResource job) {
    job.addOwnerReference(owner);
    try {
      client.genericKubernetesResources(RESOURCE).inNamespace(job.getMetadata().getNamespace())
          .resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  public static void delete(KubernetesClient client, String namespace, String name) {
    client.genericKubernetesResources(RESOURCE).inNamespace(namespace).withName(name).delete();
  }

  /** The training state its conditions say: Succeeded or Failed once true, else running (or absent). */
  public static JobState state(Optional<GenericKubernetesResource> job) {
    if (job.isEmpty()) {
      return JobState.ABSENT;
    }
    Object status = job.get().getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> map ? map.get("conditions") : null;
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> condition && "True".equals(condition.get("status"))) {
          if ("Succeeded".equals(condition.get("type"))) {
            return JobState.SUCCEEDED;
          }
          if ("Failed".equals(condition.get("type"))) {
            return JobState.FAILED;
          }
        }
      }
    }
    return JobState.RUNNING;
  }
}
