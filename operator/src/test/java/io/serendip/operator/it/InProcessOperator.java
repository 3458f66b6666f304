package io.serendip.operator.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serendip.operator.SerendipOperator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * The operator running inside the test JVM against the local control plane, watching all namespaces.
 * One instance per JVM (two would fight over the same objects); {@link #restart} replaces it.
 */
final class InProcessOperator {
  private static InProcessOperator current;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Operator operator;

  private InProcessOperator(KubernetesClient client) {
    operator = SerendipOperator.create(client, Set.of(), registry, Optional.empty(), 2);
    operator.start();
  }

  static synchronized InProcessOperator running(KubernetesClient client) {
    if (current == null) {
      current = new InProcessOperator(client);
      Runtime.getRuntime().addShutdownHook(new Thread(InProcessOperator::stopCurrent, "serendip-operator-stop"));
    }
    return current;
  }

  static synchronized InProcessOperator restart(KubernetesClient client) {
    stopCurrent();
    return running(client);
  }

  private static synchronized void stopCurrent() {
    if (current != null) {
      current.operator.stop();
      current = null;
    }
  }

  /** Reconciliations finished by this instance, over all controllers. */
  double reconciliations() {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.success"))
        .flatMap(m -> StreamSupport.stream(m.measure().spliterator(), false))
        .mapToDouble(ms -> ms.getValue())
        .sum();
  }
}
