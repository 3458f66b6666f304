package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigValidator;
import io.serendip.config.JobConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The typed handoff to a Job: its {@link JobConfig}s as an immutable ConfigMap named after the Job's version (one
 * file per Job, e.g. {@code precompute.yaml}), mounted at /etc/serendip; the Job's only argument is the file.
 */
public final class JobConfigMaps {
  private JobConfigMaps() {}

  /** What a Job pod runs: {@code job --config /etc/serendip/<file>}. */
  public static List<String> args(String file) {
    return List.of("job", "--config", PodTemplates.CONFIG_DIR + "/" + file);
  }

  /** Immutable: a Job version's inputs never change, and the kubelet need not watch it. */
  public static ConfigMap configMap(HasMetadata owner, String name, String component, Map<String, JobConfig> files) {
    Map<String, String> data = new TreeMap<>();
    files.forEach((file, config) -> data.put(file, JobConfigs.write(config)));
    return new ConfigMapBuilder()
        .withMetadata(Workloads.meta(owner, name, component))
        .withImmutable(true)
        .withData(data)
        .build();
  }

  /** Every file's validation errors, each prefixed by the file; empty when all are valid. */
  public static List<String> validate(Map<String, JobConfig> files) {
    List<String> errors = new ArrayList<>();
    files.forEach((file, config) -> JobConfigValidator.validate(config).forEach(e -> errors.add(file + ": " + e)));
    return errors;
  }
}
