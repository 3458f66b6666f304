package io.serendip.operator.recommender;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.serendip.config.JobConfig;
import io.serendip.config.RecommenderTrainingSettings;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.api.RecommenderTraining;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.TrainingJobs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training version spec.training asks for (a hash of the cluster-set version and the settings that shape the
 * model; resources and pod overrides are left out), its Job and the Job's typed config.
 */
record RecommenderTrainingJob(String version, String jobName, String artifactPath, JobConfig config) {
  static final String COMPONENT = "recommender-training";

  static RecommenderTrainingJob of(RecommenderModel rm, String clustersPath) {
    RecommenderTraining t = rm.getSpec().training;
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("clusters", clustersPath);
    inputs.put("maxLength", t.maxLength);
    inputs.put("hidden", t.hidden);
    inputs.put("layers", t.layers);
    inputs.put("heads", t.heads);
    inputs.put("epochs", t.epochs);
    inputs.put("batchSize", t.batchSize);
    inputs.put("learningRate", t.learningRate);
    inputs.put("seed", t.seed);
    String version = ContentHash.version(inputs);
    String name = rm.getMetadata().getName();
    String artifact = "/artifacts/recommenders/" + name + "/" + version;
    JobConfig config = JobConfig.recommenderTraining(new RecommenderTrainingSettings(clustersPath, artifact,
        t.maxLength, t.hidden, t.layers, t.heads, t.epochs, t.batchSize, t.learningRate, t.seed));
    return new RecommenderTrainingJob(version, TrainingJobs.jobName(rm, version), artifact, config);
  }

  Map<String, JobConfig> configFiles() {
    return Map.of(TrainingJobs.CONFIG_FILE, config);
  }

  ConfigMap configMap(RecommenderModel rm) {
    return JobConfigMaps.configMap(rm, jobName, COMPONENT, configFiles());
  }

  Job job(RecommenderModel rm) {
    return TrainingJobs.job(rm, jobName, new PodSpecInput(COMPONENT, JobConfigMaps.args(TrainingJobs.CONFIG_FILE),
        rm.getSpec().training.resources, rm.getSpec().pod, rm.getSpec().storage, jobName, null, false));
  }
}
