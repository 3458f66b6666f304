package io.serendip.operator.interestmodel;

import io.serendip.config.InterestModelTrainingSettings;
import io.serendip.config.JobConfig;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelTraining;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.workload.TrainingJobs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training version spec.training asks for: a hash of its inputs (the cluster-set version, the training settings
 * that shape the model, k, the base model), the Job (and ConfigMap) of that version and where its artifact goes.
 * Resources and pod overrides are left out: they change where a model trains, not the model.
 */
record TrainingPlan(String version, String jobName, String artifactPath, JobConfig config) {

  static TrainingPlan of(InterestModel im, String clustersPath) {
    InterestModelTraining t = im.getSpec().training;
    boolean fineTune = t.method == InterestModelTraining.Method.FineTune;
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("clusters", clustersPath); // carries the cluster-set version
    inputs.put("historyLength", im.getSpec().historyLength);
    inputs.put("method", t.method);
    inputs.put("baseModel", fineTune ? (t.baseModel == null ? "default" : t.baseModel) : null);
    inputs.put("baseModelSha256", t.baseModelSha256);
    inputs.put("loraRank", fineTune ? loraRank(t) : null);
    inputs.put("maxExamples", t.maxExamples);
    inputs.put("hidden", t.hidden);
    inputs.put("layers", t.layers);
    inputs.put("epochs", t.epochs);
    inputs.put("batchSize", t.batchSize);
    inputs.put("learningRate", t.learningRate);
    inputs.put("seed", t.seed);
    inputs.put("maxGateCases", t.maxGateCases);
    if (workers(t) > 1) { // summed in another order, several workers' adapter differs in its last bits
      inputs.put("workers", workers(t));
    }
    String version = ContentHash.version(inputs);
    String name = im.getMetadata().getName();
    String artifact = "/artifacts/interest-models/" + name + "/" + version;
    JobConfig config = JobConfig.interestModelTraining(new InterestModelTrainingSettings(clustersPath, artifact,
        fineTune ? InterestModelTrainingSettings.Method.FineTune : InterestModelTrainingSettings.Method.FromScratch,
        t.baseModel, t.baseModelSha256, fineTune ? loraRank(t) : null, t.maxExamples, t.hidden, t.layers,
        im.getSpec().historyLength, t.epochs, t.batchSize, t.learningRate, t.seed, t.maxGateCases));
    return new TrainingPlan(version, TrainingJobs.jobName(im, version), artifact, config);
  }

  static int workers(InterestModelTraining t) {
    return t.workers == null ? 1 : t.workers;
  }

  private static Integer loraRank(InterestModelTraining t) {
    return t.adapter == null ? new InterestModelTraining.Adapter().rank : t.adapter.rank;
  }

  Map<String, JobConfig> configFiles() {
    return Map.of(TrainingJobs.CONFIG_FILE, config);
  }
}
