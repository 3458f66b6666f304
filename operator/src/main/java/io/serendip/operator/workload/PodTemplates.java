package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.serendip.config.FeedbackSettings;
import io.serendip.operator.api.ArtifactStorage;
import io.serendip.operator.api.ModelResources;
import io.serendip.operator.api.PodOverrides;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.support.Labels;
import io.serendip.operator.support.RuntimeImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure mapping from a {@link PodSpecInput} to a pod template, GPU scheduling included. Pods with GPUs and pods that
 * run the LLM get the runtime-cuda image, the others the runtime image.
 */
public final class PodTemplates {
  public static final String GPU_RESOURCE = "nvidia.com/gpu";
  public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
  public static final String CONFIG_DIR = "/etc/serendip";
  public static final String CONFIG_FILE = CONFIG_DIR + "/config.yaml";
  public static final String ARTIFACTS_DIR = "/artifacts";
  /** The only writable path of a runtime container (JVM temp files, DJL's native-library cache). */
  public static final String SCRATCH_DIR = "/tmp";
  /** Non-root uid and gid the runtime containers run as. */
  public static final long RUNTIME_UID = 65532L;
  public static final int HTTP_PORT = 8080;
  /** DJL's name of the CUDA build its pytorch-jni binds to PyPI's torch 2.7.1 with. */
  public static final String CUDA_FLAVOR = "cu128";

  private PodTemplates() {}

  public static PodTemplateSpec build(HasMetadata owner, PodSpecInput in) {
    ModelResources resources = in.resources() == null ? new ModelResources() : in.resources();
    PodOverrides overrides = in.overrides() == null ? new PodOverrides() : in.overrides();
    int gpus = resources.gpus == null ? 0 : resources.gpus;

    Map<String, String> labels = new TreeMap<>();
    if (overrides.labels != null) {
      labels.putAll(overrides.labels);
    }
    labels.putAll(Labels.of(owner, in.component()));
    Map<String, String> annotations = new TreeMap<>();
    if (overrides.annotations != null) {
      annotations.putAll(overrides.annotations);
    }
    if (in.configHash() != null) {
      annotations.put(ContentHash.CONFIG_HASH_ANNOTATION, in.configHash());
    }

    Container main = container(in, resources, overrides, gpus);
    PodSpecBuilder spec = new PodSpecBuilder()
        // never null: JOSDK's pod-template matcher compares the lists
        .withInitContainers(ObjectStorage.initializer(in, main).stream().toList())
        .withContainers(main)
        .withVolumes(volumes(in))
        .withSecurityContext(restrictedPodSecurity())
        // Runtime pods never call the API server: no service-account token in them.
        .withAutomountServiceAccountToken(false)
        .withRuntimeClassName(resources.runtimeClassName)
        .withServiceAccountName(overrides.serviceAccountName)
        .withPriorityClassName(overrides.priorityClassName)
        .withNodeSelector(overrides.nodeSelector == null || overrides.nodeSelector.isEmpty()
            ? null : new TreeMap<>(overrides.nodeSelector))
        .withTolerations(nullIfEmpty(tolerations(overrides, gpus)));
    if (!in.server()) {
      spec.withRestartPolicy("Never");
    }
    if (gpus > 0 && resources.gpuProduct != null && !resources.gpuProduct.isBlank()) {
      spec.withNewAffinity()
          .withNewNodeAffinity()
          .withNewRequiredDuringSchedulingIgnoredDuringExecution()
          .addNewNodeSelectorTerm()
          .withMatchExpressions(new NodeSelectorRequirementBuilder()
              .withKey(GPU_PRODUCT_LABEL)
              .withOperator("In")
              .withValues(resources.gpuProduct)
              .build())
          .endNodeSelectorTerm()
          .endRequiredDuringSchedulingIgnoredDuringExecution()
          .endNodeAffinity()
          .endAffinity();
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations.isEmpty() ? null : annotations)
        .endMetadata()
        .withSpec(spec.build())
        .build();
  }

  private static Container container(PodSpecInput in, ModelResources resources, PodOverrides overrides, int gpus) {
    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, Quantity> limits = new TreeMap<>();
    requests.put("cpu", new Quantity(resources.cpu == null ? "500m" : resources.cpu));
    Quantity memory = new Quantity(resources.memory == null ? "1Gi" : resources.memory);
    requests.put("memory", memory);
    limits.put("memory", memory);
    if (gpus > 0) {
      limits.put(GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
    }
    List<VolumeMount> mounts = new ArrayList<>();
    if (in.configMapName() != null) {
      mounts.add(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).build());
    }
    boolean readOnly = in.server() && (in.storage() == null || !Boolean.FALSE.equals(in.storage().readOnly));
    mounts.add(new VolumeMountBuilder().withName("scratch").withMountPath(SCRATCH_DIR).build());
    mounts.add(artifactsMount(in.storage(), readOnly));
    ContainerBuilder c = new ContainerBuilder()
        .withName(in.server() ? "server" : "job")
        .withImage(gpus > 0 || in.llm() ? RuntimeImage.cuda() : RuntimeImage.get())
        .withArgs(in.args())
        .withEnv(env(overrides, gpus, in)) // never null: the SSA matcher expects a list
        .withSecurityContext(restrictedContainerSecurity())
        // The runtime writes why it refused to start to the termination log; other failures leave their last
        // log lines there. ContainerDiagnosis puts it in the owner's conditions.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .withVolumeMounts(mounts);
    if (in.server()) {
      c.addNewPort().withName("http").withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
          // Probe timeouts above the kubelet's 1 s default: a busy node (a neighbour under memory pressure) must not
          // make a healthy server look hung; a hung one is still restarted after three 10 s periods.
          .withReadinessProbe(httpProbe("/readyz", 5, 2))
          .withLivenessProbe(httpProbe("/healthz", 10, 5))
          // A stopping pod leaves the Service's endpoints at once, but kube-proxies and clients learn it a
          // moment later: keep serving through that moment before SIGTERM starts the server's drain (which
          // then closes keep-alive connections after their next answer). Within the default 30 s grace period.
          .withNewLifecycle().withNewPreStop().withNewSleep(PRE_STOP_SECONDS).endPreStop().endLifecycle();
    }
    return c.build();
  }

  /** /artifacts: the claim's sub-directory for a pvc:// uri with a path, else the whole volume. */
  static VolumeMount artifactsMount(ArtifactStorage storage, boolean readOnly) {
    boolean pvcPath = storage != null && storage.onClaim() && storage.claimPath() != null;
    return new VolumeMountBuilder()
        .withName("artifacts")
        .withMountPath(ARTIFACTS_DIR)
        .withSubPath(pvcPath ? storage.claimPath() : null)
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }

  /** Seconds a stopping server keeps serving before its drain starts (the preStop sleep). */
  public static final long PRE_STOP_SECONDS = 5;

  // The Pod Security Standard "restricted" profile, so runtime pods are admitted in namespaces enforcing it.
  private static PodSecurityContext restrictedPodSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNTIME_UID)
        .withRunAsGroup(RUNTIME_UID)
        .withFsGroup(RUNTIME_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  static SecurityContext restrictedContainerSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .build();
  }

  /** The user's env, after defaults that point every writable cache at the scratch volume. */
  private static List<EnvVar> env(PodOverrides overrides, int gpus, PodSpecInput in) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("HOME", SCRATCH_DIR, null));
    if (in.secretName() != null) {
      // apiVersion as the API server defaults it: a fieldRef is an atomic struct, so server-side apply matching
      // compares it whole, and without it every reconcile would patch the Deployment again
      env.add(new EnvVarBuilder().withName(FeedbackSettings.POD_IP_ENV).withNewValueFrom().withNewFieldRef()
          .withApiVersion("v1").withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
    }
    env.addAll(ObjectStorage.env(in.storage()));
    if (gpus > 0) {
      // runtime-cuda's DJL binding for CUDA (the image defaults to its CPU binding, which runs without a driver).
      env.add(new EnvVar("PYTORCH_FLAVOR", CUDA_FLAVOR, null));
    }
    env.add(new EnvVar("DJL_CACHE_DIR", SCRATCH_DIR + "/djl", null));
    env.add(new EnvVar("ENGINE_CACHE_DIR", SCRATCH_DIR + "/djl", null));
    if (overrides.env != null) {
      for (EnvVar user : overrides.env) {
        env.removeIf(e -> e.getName().equals(user.getName()));
        env.add(user);
      }
    }
    return env;
  }

  private static Probe httpProbe(String path, int periodSeconds, int timeoutSeconds) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(timeoutSeconds)
        .build();
  }

  private static List<Volume> volumes(PodSpecInput in) {
    List<Volume> volumes = new ArrayList<>();
    if (in.configMapName() != null && in.secretName() != null) {
      // one directory: the kubelet swaps config and Secret together, and the runtime's config watcher sees one tree
      volumes.add(new VolumeBuilder().withName("config").withNewProjected()
          .addNewSource().withNewConfigMap().withName(in.configMapName()).endConfigMap().endSource()
          .addNewSource().withNewSecret().withName(in.secretName()).endSecret().endSource()
          .endProjected().build());
    } else if (in.configMapName() != null) {
      volumes.add(new VolumeBuilder().withName("config")
          .withNewConfigMap().withName(in.configMapName()).endConfigMap().build());
    }
    volumes.add(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build());
    ArtifactStorage storage = in.storage();
    VolumeBuilder artifacts = new VolumeBuilder().withName("artifacts");
    if (storage != null && storage.onClaim()) {
      artifacts.withNewPersistentVolumeClaim().withClaimName(storage.claimName()).endPersistentVolumeClaim();
    } else if (storage != null && storage.hostPath != null) {
      artifacts.withNewHostPath().withPath(storage.hostPath).withType("DirectoryOrCreate").endHostPath();
    } else {
      // no storage, or an object store whose storage initializer fills the pod's own copy
      artifacts.withNewEmptyDir().endEmptyDir();
    }
    volumes.add(artifacts.build());
    return volumes;
  }

  private static List<Toleration> tolerations(PodOverrides overrides, int gpus) {
    List<Toleration> out = new ArrayList<>();
    if (gpus > 0) {
      // GPU nodes carry the nvidia.com/gpu NoSchedule taint of the NVIDIA device plugin convention.
      out.add(new TolerationBuilder().withKey(GPU_RESOURCE).withOperator("Exists").withEffect("NoSchedule").build());
    }
    if (overrides.tolerations != null) {
      out.addAll(overrides.tolerations);
    }
    return out;
  }

  private static <T> List<T> nullIfEmpty(List<T> list) {
    return list.isEmpty() ? null : list;
  }
}
