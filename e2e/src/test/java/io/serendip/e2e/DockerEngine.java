package io.serendip.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a suite only where Testcontainers finds a Docker engine; elsewhere the suite is reported as
 * skipped with {@link #SKIPPED}, which surefire writes into its report.
 */
final class DockerEngine implements ExecutionCondition {
  static final String SKIPPED = "Docker engine not available: k3s in-cluster suite skipped";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return DockerClientFactory.instance().isDockerAvailable()
        ? ConditionEvaluationResult.enabled("Docker engine available")
        : ConditionEvaluationResult.disabled(SKIPPED);
  }
}
