package io.serendip.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.serendip.operator.api.ArtifactStorage;
import io.serendip.operator.api.ModelResources;
import io.serendip.operator.api.PodOverrides;
import io.serendip.operator.api.RecommenderModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {
  private final RecommenderModel owner = owner();

  @Test
  void gpuModelGetsLimitTolerationProductAffinityAndRuntimeClass() {
    ModelResources r = new ModelResources();
    r.gpus = 2;
    r.gpuProduct = "NVIDIA-H100-80GB-HBM3";
    r.runtimeClassName = "nvidia";
    PodSpec spec = PodTemplates.build(owner, input(r, null, null)).getSpec();
    var container = spec.getContainers().get(0);
    assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
    assertThat(spec.getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
      assertThat(t.getOperator()).isEqualTo("Exists");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    var term = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
    assertThat(term.getKey()).isEqualTo("nvidia.com/gpu.product");
    assertThat(term.getValues()).containsExactly("NVIDIA-H100-80GB-HBM3");
    assertThat(spec.getRuntimeClassName()).isEqualTo("nvidia");
  }

  @Test
  void podsWithGpusAndPodsThatRunTheLlmGetTheCudaImage() {
    ModelResources gpu = new ModelResources();
    gpu.gpus = 1;
    var onGpu = PodTemplates.build(owner, input(gpu, null, null)).getSpec().getContainers().get(0);
    assertThat(onGpu.getImage()).isEqualTo(io.serendip.operator.support.RuntimeImage.cuda()).contains("runtime-cuda:");
    assertThat(onGpu.getEnv()).contains(new EnvVar("PYTORCH_FLAVOR", "cu128", null));

    var llmOnCpu = PodTemplates.build(owner, new PodSpecInput("novelty-precompute", List.of("job"), new ModelResources(),
        null, null, null, null, false, true)).getSpec().getContainers().get(0);
    assertThat(llmOnCpu.getImage()).as("the LLM component is only in runtime-cuda").contains("runtime-cuda:");
    assertThat(llmOnCpu.getEnv()).as("the image's CPU binding: no driver on a CPU node")
        .extracting(EnvVar::getName).doesNotContain("PYTORCH_FLAVOR");

    var onCpu = PodTemplates.build(owner, input(new ModelResources(), null, null)).getSpec().getContainers().get(0);
    assertThat(onCpu.getImage()).isEqualTo(io.serendip.operator.support.RuntimeImage.get()).contains("/runtime:");
  }

  @Test
  void cpuModelHasNoGpuLimitTolerationOrAffinity() {
    PodSpec spec = PodTemplates.build(owner, input(new ModelResources(), null, null)).getSpec();
    assertThat(spec.getContainers().get(0).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    assertThat(spec.getTolerations()).isNull();
    assertThat(spec.getAffinity()).isNull();
  }

  @Test
  void overridesAreMergedButOperatorLabelsWin() {
    PodOverrides o = new PodOverrides();
    o.labels = Map.of("team", "recs", "app.kubernetes.io/instance", "hijack");
    o.env = List.of(new EnvVar("JAVA_OPTS", "-Xmx1g", null));
    o.nodeSelector = Map.of("zone", "a");
    o.serviceAccountName = "runner";
    var template = PodTemplates.build(owner, input(null, o, null));
    assertThat(template.getMetadata().getLabels())
        .containsEntry("team", "recs")
        .containsEntry("app.kubernetes.io/instance", "rec-v1");
    assertThat(template.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
        .containsExactly("HOME", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "JAVA_OPTS");
    assertThat(template.getSpec().getNodeSelector()).containsEntry("zone", "a");
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("runner");
  }

  @Test
  void podsMeetTheRestrictedPodSecurityStandard() {
    PodOverrides o = new PodOverrides();
    o.env = List.of(new EnvVar("HOME", "/scratch-home", null));
    PodSpec spec = PodTemplates.build(owner, input(null, o, null)).getSpec();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = spec.getContainers().get(0);
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    // With a read-only root filesystem, /tmp is the writable scratch volume and caches point there.
    assertThat(container.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/tmp");
      assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    });
    assertThat(spec.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("scratch");
      assertThat(v.getEmptyDir()).isNotNull();
    });
    assertThat(container.getEnv()).contains(new EnvVar("DJL_CACHE_DIR", "/tmp/djl", null))
        // a user's value replaces the default instead of adding a duplicate name
        .filteredOn(e -> e.getName().equals("HOME")).singleElement()
        .extracting(EnvVar::getValue).isEqualTo("/scratch-home");
  }

  @Test
  void configHashAndStorageShapeThePod() {
    ArtifactStorage storage = new ArtifactStorage();
    storage.uri = "pvc://artifacts";
    var template = PodTemplates.build(owner, input(null, null, storage));
    assertThat(template.getMetadata().getAnnotations()).containsEntry("serendip.io/config-hash", "abc123");
    assertThat(template.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("artifacts")).singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("artifacts"));
    var mount = template.getSpec().getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getName().equals("artifacts")).findFirst().orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(template.getSpec().getContainers().get(0).getArgs())
        .containsExactly("recommender", "--config", "/etc/serendip/config.yaml");
  }

  @Test
  void aPvcPathIsTheClaimsSubDirectory() {
    ArtifactStorage storage = new ArtifactStorage();
    storage.uri = "pvc://shared/teams/recsys/";
    var template = PodTemplates.build(owner, input(null, null, storage));
    assertThat(template.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("artifacts")).singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("shared"));
    assertThat(template.getSpec().getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals("artifacts"))
        .singleElement().satisfies(m -> {
          assertThat(m.getMountPath()).isEqualTo("/artifacts");
          assertThat(m.getSubPath()).isEqualTo("teams/recsys");
        });
    assertThat(template.getSpec().getInitContainers()).as("a volume needs no initializer").isEmpty();
  }

  @Test
  void anS3StorageGetsAStorageInitializerThatReadsThePodsOwnConfig() {
    ArtifactStorage storage = new ArtifactStorage();
    storage.uri = "s3://models/serendip";
    storage.s3 = new ArtifactStorage.S3Settings();
    storage.s3.endpoint = "http://minio.storage.svc:9000";
    storage.s3.secretName = "s3-credentials";
    var spec = PodTemplates.build(owner, input(null, null, storage)).getSpec();
    assertThat(spec.getVolumes()).filteredOn(v -> v.getName().equals("artifacts")).singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    var init = spec.getInitContainers().get(0);
    var main = spec.getContainers().get(0);
    assertThat(init.getName()).isEqualTo("storage-initializer");
    assertThat(init.getImage()).isEqualTo(main.getImage());
    assertThat(init.getArgs()).containsExactly("storage-initializer", "--config", "/etc/serendip/config.yaml");
    assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(init.getVolumeMounts()).filteredOn(m -> m.getName().equals("artifacts")).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).as("the initializer writes").isNull());
    assertThat(main.getVolumeMounts()).filteredOn(m -> m.getName().equals("artifacts")).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).as("the server only reads").isTrue());
    for (var container : List.of(init, main)) {
      assertThat(container.getEnv()).contains(new EnvVar("SERENDIP_STORAGE_URI", "s3://models/serendip", null),
          new EnvVar("AWS_ENDPOINT_URL", "http://minio.storage.svc:9000", null),
          new EnvVar("AWS_REGION", "us-east-1", null));
      assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY")).singleElement()
          .satisfies(e -> {
            assertThat(e.getValue()).as("never the secret itself").isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-credentials");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("AWS_SECRET_ACCESS_KEY");
          });
    }
  }

  @Test
  void aServerKeepsServingThroughItsPreStopPauseWithinTheGracePeriod() {
    var server = PodTemplates.build(owner, input(null, null, null)).getSpec();
    assertThat(server.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds())
        .isEqualTo(PodTemplates.PRE_STOP_SECONDS);
    long grace = server.getTerminationGracePeriodSeconds() == null ? 30 : server.getTerminationGracePeriodSeconds();
    assertThat(PodTemplates.PRE_STOP_SECONDS + io.serendip.config.ServerSettings.DEFAULT_DRAIN_SECONDS)
        .as("preStop pause and drain fit in the grace period").isLessThan(grace);
    var job = PodTemplates.build(owner, new PodSpecInput("job", List.of("job"), null, null, null, null, null, false))
        .getSpec();
    assertThat(job.getContainers().get(0).getLifecycle()).as("Jobs serve nothing").isNull();
  }

  @Test
  void probesGiveABusyServerTimeAndRestartAHungOne() {
    var server = PodTemplates.build(owner, input(null, null, null)).getSpec().getContainers().get(0);
    assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(server.getLivenessProbe().getTimeoutSeconds()).as("above the kubelet's 1 s default").isEqualTo(5);
    assertThat(server.getLivenessProbe().getTimeoutSeconds()).isLessThan(server.getLivenessProbe().getPeriodSeconds());
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(server.getReadinessProbe().getTimeoutSeconds()).isLessThan(server.getReadinessProbe().getPeriodSeconds());
  }

  private static PodSpecInput input(ModelResources r, PodOverrides o, ArtifactStorage s) {
    return new PodSpecInput("recommender", List.of("recommender", "--config", PodTemplates.CONFIG_FILE),
        r, o, s, "rec-v1-recommender-config", "abc123", true);
  }

  private static RecommenderModel owner() {
    RecommenderModel m = new RecommenderModel();
    m.setMetadata(new ObjectMetaBuilder().withName("rec-v1").withNamespace("demo").build());
    return m;
  }
}
