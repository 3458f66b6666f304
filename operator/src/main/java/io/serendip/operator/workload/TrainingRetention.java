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

/**
 * Retires training versions beyond {@code spec.training.revisionHistoryLimit}, like a Deployment's old ReplicaSets:
 * the version asked for and the version serving are never retired; of the others the newest {@code limit} are
 * kept. Retiring is observed state, step by step, so that a restart resumes it: first the version's Job (or
 * PyTorchJob) goes (stopping a training that was superseded), then, once none of its pods is left to write, a cleanup Job deletes
 * its artifact directory and the version's Job config goes with it.
 */
public final class TrainingRetention {
  public static final String CLEANUP_COMPONENT = "artifact-cleanup";
  static final String CLEANUP_FILE = "clean.yaml";
  /** A finished cleanup Job (and its config) stays an hour for whoever wants to read its log. */
  static final int CLEANUP_TTL_SECONDS = 3600;

  private TrainingRetention() {}

  /** One training version as its Job config (or, lacking one, its Job) shows it. */
  record Version(String jobName, String created) {}

  /** The versions to retire: all but the protected ones and, of the rest, the {@code limit} newest. */
  static List<String> retired(List<Version> versions, Set<String> keep, int limit) {
    return versions.stream()
        .filter(v -> !keep.contains(v.jobName()))
        .sorted(Comparator.comparing((Version v) -> Objects.toString(v.created(), "")).reversed()
            .thenComparing(Version::jobName))
        .skip(Math.max(0, limit))
        .map(Version::jobName)
        .toList();
  }

  /**
   * One step of retiring what is beyond the limit, for the training Jobs of {@code component}.
   *
   * @param currentJob the Job of the version spec.training asks for
   * @param servingArtifact the artifact the model serves now (nullable)
   */
  public static <P extends HasMetadata> void apply(Context<P> context, P owner, String component, String currentJob,
      String servingArtifact, Integer limit, ArtifactStorage storage, PodOverrides pod) {
    Map<String, ConfigMap> configs = new LinkedHashMap<>();
    context.getSecondaryResources(ConfigMap.class).stream().filter(c -> isComponent(c, component))
        .forEach(c -> configs.put(c.getMetadata().getName(), c));
    Map<String, Job> jobs = new LinkedHashMap<>();
    context.getSecondaryResources(Job.class).stream().filter(j -> isComponent(j, component))
        .forEach(j -> jobs.put(j.getMetadata().getName(), j));

    Map<String, Version> versions = new LinkedHashMap<>();
    jobs.values().forEach(j -> versions.put(j.getMetadata().getName(), version(j)));
    configs.values().forEach(c -> versions.put(c.getMetadata().getName(), version(c)));
    Set<String> keep = new java.util.HashSet<>(Set.of(currentJob));
    configs.forEach((name, config) -> {
      if (servingArtifact != null && output(config).filter(servingArtifact::equals).isPresent()) {
        keep.add(name);
      }
    });

    for (String name : retired(List.copyOf(versions.values()), keep, limit == null ? 2 : limit)) {
      if (jobs.containsKey(name)) {
        if (jobs.get(name).getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        context.getClient().resource(jobs.get(name)).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        EventRecorder.normal(context.getClient(), owner, "VersionRetired", "training version Job " + name
            + " deleted: beyond revisionHistoryLimit " + limit);
        continue;
      }
      // a version trained by several workers ran as a PyTorchJob, which no informer here watches
      PyTorchJobs.delete(context.getClient(), owner.getMetadata().getNamespace(), name);
      if (!TrainingJobs.jobPods(context.getSecondaryResources(Pod.class), name).isEmpty()) {
        continue; // its pods may still write into the artifact directory: the next event comes when they are gone
      }
      ConfigMap config = configs.get(name);
      if (config == null || config.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<String> artifact = output(config);
      if (artifact.isPresent() && storage != null && (storage.claimName != null || storage.hostPath != null)) {
        cleanup(context, owner, name, artifact.get(), storage, pod);
      }
      context.getClient().resource(config).delete();
    }
  }

  /** The cleanup Job of a retired version, owned by the model; its config is owned by the Job and goes with it. */
  private static <P extends HasMetadata> void cleanup(Context<P> context, P owner, String trainingJob, String artifact,
      ArtifactStorage storage, PodOverrides pod) {
    String name = TrainingJobs.cleanupJobName(trainingJob);
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
        + " of retired training version " + trainingJob);
  }

  /** Where the version's training wrote its artifact, from its typed config. */
  static Optional<String> output(ConfigMap config) {
    String yaml = config == null || config.getData() == null ? null : config.getData().get(TrainingJobs.CONFIG_FILE);
    if (yaml == null) {
      return Optional.empty();
    }
    try {
      JobConfig parsed = JobConfigs.parse(yaml);
      return Optional.ofNullable(switch (parsed.kind()) {
        case InterestModelTraining -> parsed.interestModelTraining().output();
        case RecommenderTraining -> parsed.recommenderTraining().output();
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
