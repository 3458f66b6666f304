package io.serendip.operator.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serendip.operator.SerendipOperator;
import java.util.Optional;
import java.util.Set;

/** The operator running inside the test JVM against the local control plane, watching all namespaces. */
final class InProcessOperator implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Operator operator;

  InProcessOperator(KubernetesClient client) {
    operator = SerendipOperator.create(client, Set.of(), registry, Optional.empty(), 2);
    operator.start();
  }

  /** Reconciliations finished so far, over all controllers. */
  double reconciliations() {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().contains("reconciliations") && m.getId().getName().contains("success"))
        .flatMap(m -> java.util.stream.StreamSupport.stream(m.measure().spliterator(), false))
        .mapToDouble(ms -> ms.getValue())
        .sum();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
