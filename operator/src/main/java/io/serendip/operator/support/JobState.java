package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/** What a Job's status says, reduced to what the reconcilers act on. */
public enum JobState {
  ABSENT,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public static JobState of(Optional<Job> job) {
    if (job.isEmpty()) {
      return ABSENT;
    }
    var status = job.get().getStatus();
    if (status == null || status.getConditions() == null) {
      return RUNNING;
    }
    for (JobCondition c : status.getConditions()) {
      if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
        return SUCCEEDED;
      }
      if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
        return FAILED;
      }
    }
    return RUNNING;
  }

  public static int succeededPods(Optional<Job> job) {
    return job.map(Job::getStatus).map(s -> s.getSucceeded() == null ? 0 : s.getSucceeded()).orElse(0);
  }
}
