package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.serendip.operator.api.ArtifactStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pod needs when its artifacts live in an S3-compatible store: the store's location and credentials in the
 * standard AWS variables (for the storage initializer and for the Job that uploads), and the initializer itself,
 * an init container that reads the pod's own config file and downloads what it names before the pod's process
 * starts.
 */
public final class ObjectStorage {
  /** The runtime's variable for the artifacts' URI (it mirrors /artifacts). */
  public static final String URI_ENV = "SERENDIP_STORAGE_URI";
  public static final String INITIALIZER = "storage-initializer";
  static final String ACCESS_KEY = "AWS_ACCESS_KEY_ID";
  static final String SECRET_KEY = "AWS_SECRET_ACCESS_KEY";

  private ObjectStorage() {}

  /** The store's variables for an s3:// storage; none otherwise. */
  static List<EnvVar> env(ArtifactStorage storage) {
    List<EnvVar> env = new ArrayList<>();
    if (storage == null || !storage.inObjectStore()) {
      return env;
    }
    env.add(new EnvVar(URI_ENV, storage.uri, null));
    ArtifactStorage.S3Settings s3 = storage.s3 == null ? new ArtifactStorage.S3Settings() : storage.s3;
    if (s3.endpoint != null) {
      env.add(new EnvVar("AWS_ENDPOINT_URL", s3.endpoint, null));
    }
    env.add(new EnvVar("AWS_REGION", s3.region == null ? "us-east-1" : s3.region, null));
    if (s3.secretName != null) {
      for (String key : List.of(ACCESS_KEY, SECRET_KEY)) {
        env.add(new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
            .withName(s3.secretName).withKey(key).endSecretKeyRef().endValueFrom().build());
      }
    }
    return env;
  }

  /**
   * The storage initializer of a pod whose artifacts are in an object store and whose process reads a config file
   * ({@code --config FILE} among its args): the main container's image, mounts and variables, a JVM-sized memory
   * limit, and the config file as its only input.
   */
  static Optional<Container> initializer(PodSpecInput in, Container main) {
    if (in.storage() == null || !in.storage().inObjectStore()) {
      return Optional.empty();
    }
    int at = in.args().indexOf("--config");
    if (at < 0 || at + 1 >= in.args().size()) {
      return Optional.empty();
    }
    List<VolumeMount> mounts = new ArrayList<>();
    for (VolumeMount m : main.getVolumeMounts()) {
      // the initializer writes what a read-only server then reads
      mounts.add(new VolumeMountBuilder(m).withReadOnly(
          m.getName().equals("artifacts") ? null : m.getReadOnly()).build());
    }
    Quantity memory = new Quantity("512Mi");
    return Optional.of(new ContainerBuilder()
        .withName(INITIALIZER)
        .withImage(main.getImage())
        .withArgs(INITIALIZER, "--config", in.args().get(at + 1))
        .withEnv(main.getEnv())
        .withSecurityContext(PodTemplates.restrictedContainerSecurity())
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("100m"), "memory", memory))
        .withLimits(Map.of("memory", memory))
        .endResources()
        .withVolumeMounts(mounts)
        .build());
  }
}
