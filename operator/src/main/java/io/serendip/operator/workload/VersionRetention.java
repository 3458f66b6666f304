package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.serendip.config.ArtifactCleanupSettings;
import io.serendip.config.ArtifactLayout;
import io.serendip.config.ConfigException;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigs;
import io.serendip.operator.api.ArtifactStorage;
import io.serendip.operator.api.PodOverrides;
import io.serendip.operator.support.EventRecorder;
import io.serendip.operator.support.Labels;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Retires old versions of a model's outputs (training versions, novelty tables) beyond a revision-history limit,
 * like a Deployment's old ReplicaSets: the version asked for and the version serving are never retired; of the others
 * the newest {@code limit} are kept. A version is its Job config (a ConfigMap); retiring is observed state, step by
 * step, so that a restart resumes it: first the version's Jobs go (stopping work that was superseded), then, once none
 * of their pods is left to write, a cleanup Job deletes the output its config names (on the volume, or in the object
 * store), and the version's Job config goes with it.
 */
public final class VersionRetention {
  public static final String CLEANUP_COMPONENT = "artifact-cleanup";
  static final String CLEANUP_FILE = "clean.yaml";
  /** A finished cleanup Job (and its config) stays an hour for whoever wants to read its log. */
  static final int CLEANUP_TTL_SECONDS = 3600;

  private VersionRetention() {}

  /**
   * How one kind of version shows in the cluster.
   *
   * @param what what a version is, for events ("training version", "novelty table")
   * @param component the component label of the versions' Job configs
   * @param configFile the file of the Job config whose output is the version's artifact
   * @param jobsOf the Jobs of a version, by its config's name
   * @param cleanupJobOf the name of the Job that deletes a version's artifact, by its config's name
   * @param pyTorchJobs whether a version may have run as a Kubeflow PyTorchJob of its config's name instead
   */
  public record Kind(String what, String component, String configFile, Function<String, List<String>> jobsOf,
      UnaryOperator<String> cleanupJobOf, boolean pyTorchJobs) {
    /** A training: one Job (or PyTorchJob) named like its config. */
    public static Kind training(String component) {
      return new Kind("training version", component, TrainingJobs.CONFIG_FILE, List::of, TrainingJobs::cleanupJobName,
          true);
    }
  }

  /** One version as its Job config (or, lacking one, its Job) shows it. */
  record Version(String name, String created) {}

  /** The versions to retire: all but the protected ones and, of the rest, the {@code limit} newest. */
  static List<String> retired(List<Version> versions, Set<String> keep, int limit) {
    return versions.stream()
        .filter(v -> !keep.contains(v.name()))
        .sorted(Comparator.comparing((Version v) -> Objects.toString(v.created(), "")).reversed()
            .thenComparing(Version::name))
        .skip(Math.max(0, limit))
        .map(Version::name)
        .toList();
  }

  /**
   * One step of retiring what is beyond the limit.
   *
   * @param current the Job config of the version asked for
   * @param serving the artifact served now (nullable): the version whose config names it as output is kept
   */
  public static <P extends HasMetadata> void apply(Context<P> context, P owner, Kind kind, String current,
      String serving, Integer limit, ArtifactStorage storage, PodOverrides pod) {
    Map<String, ConfigMap> configs = new LinkedHashMap<>();
    context.getSecondaryResources(ConfigMap.class).stream().filter(c -> isComponent(c, kind.component()))
        .forEach(c -> configs.put(c.getMetadata().getName(), c));
    Map<String, Job> jobs = new LinkedHashMap<>();
    context.getSecondaryResources(Job.class).forEach(j -> jobs.put(j.getMetadata().getName(), j));

    Map<String, Version> versions = new LinkedHashMap<>();
    // a Job of the versions' own component is a version too, should its config be gone (a training's Job)
    jobs.values().stream().filter(j -> isComponent(j, kind.component()))
        .forEach(j -> versions.put(j.getMetadata().getName(), version(j)));
    configs.values().forEach(c -> versions.put(c.getMetadata().getName(), version(c)));
    Set<String> keep = new java.util.HashSet<>(Set.of(current));
    configs.forEach((name, config) -> {
      if (serving != null && output(config, kind.configFile()).filter(serving::equals).isPresent()) {
        keep.add(name);
      }
    });

    int kept = limit == null ? 2 : limit;
    for (String name : retired(List.copyOf(versions.values()), keep, kept)) {
      List<Job> live = kind.jobsOf().apply(name).stream().map(jobs::get).filter(Objects::nonNull).toList();
      if (!live.isEmpty()) {
        for (Job job : live) {
          if (job.getMetadata().getDeletionTimestamp() == null) {
            context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            EventRecorder.normal(context.getClient(), owner, "VersionRetired", kind.what() + " Job "
                + job.getMetadata().getName() + " deleted: beyond revisionHistoryLimit " + kept);
          }
        }
        continue;
      }
      if (kind.pyTorchJobs()) {
        // a version trained by several workers ran as a PyTorchJob, which no informer here watches
        PyTorchJobs.delete(context.getClient(), owner.getMetadata().getNamespace(), name);
      }
      if (kind.jobsOf().apply(name).stream()
          .anyMatch(job -> !TrainingJobs.jobPods(context.getSecondaryResources(Pod.class), job).isEmpty())) {
        continue; // its pods may still write into the artifact directory: the next event comes when they are gone
      }
      ConfigMap config = configs.get(name);
      if (config == null || config.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<String> artifact = output(config, kind.configFile());
      if (artifact.isPresent() && storage != null && storage.persistent()) {
        cleanup(context, owner, kind, name, artifact.get(), storage, pod);
      }
      context.getClient().resource(config).delete();
    }
  }

  /** The cleanup Job of a retired version, owned by the model; its config is owned by the Job and goes with it. */
  private static <P extends HasMetadata> void cleanup(Context<P> context, P owner, Kind kind, String version,
      String artifact, ArtifactStorage storage, PodOverrides pod) {
    String name = kind.cleanupJobOf().apply(version);
    Job job = TrainingJobs.job(owner, name, new PodSpecInput(CLEANUP_COMPONENT, JobConfigMaps.args(CLEANUP_FILE),
        null, pod, storage, name, null, false));
    job.getSpec().setTtlSecondsAfterFinished(CLEANUP_TTL_SECONDS);
    job.addOwnerReference(owner);
    Job created;
    try {
      created = context.getClient().resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      created = context.getClient().resource(job).get(); // a step before a restart got this far
    }
    ConfigMap config = JobConfigMaps.configMap(owner, name, CLEANUP_COMPONENT, Map.of(CLEANUP_FILE,
        JobConfig.artifactCleanup(new ArtifactCleanupSettings(PodTemplates.ARTIFACTS_DIR,
            List.of(artifact, ArtifactLayout.checkpointOf(artifact))))));
    config.addOwnerReference(created);
    try {
      context.getClient().resource(config).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    EventRecorder.normal(context.getClient(), owner, "ArtifactCleanup", "Job " + name + " deletes " + artifact
        + " of retired " + kind.what() + " " + version);
  }

  /** Where the version's Job wrote its artifact, from the typed config in {@code file}. */
  static Optional<String> output(ConfigMap config, String file) {
    String yaml = config == null || config.getData() == null ? null : config.getData().get(file);
    if (yaml == null) {
      return Optional.empty();
    }
    try {
      JobConfig parsed = JobConfigs.parse(yaml);
      return Optional.ofNullable(switch (parsed.kind()) {
        case InterestModelTraining -> parsed.interestModelTraining().output();
        case RecommenderTraining -> parsed.recommenderTraining().output();
        case NoveltyMerge -> parsed.noveltyMerge().output();
        default -> null;
      });
    } catch (ConfigException e) {
      return Optional.empty(); // not one of ours: its Job and config are retired, nothing on the volume is touched
    }
  }

  private static boolean isComponent(HasMetadata object, String component) {
    return object.getMetadata().getLabels() != null
        && component.equals(object.getMetadata().getLabels().get(Labels.COMPONENT));
  }

  private static Version version(HasMetadata object) {
    return new Version(object.getMetadata().getName(), object.getMetadata().getCreationTimestamp());
  }
}
