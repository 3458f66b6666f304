package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.SerendipOperator;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas share one Lease: one leads, the other takes over when the leader stops. Both
 * watch an empty namespace so they leave the other tests' objects alone.
 */
@WithLocalControlPlane
class LeaderElectionTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;

  @Test
  void secondReplicaTakesOverTheLeaseWhenTheLeaderStops() throws IOException {
    Crds.install(client);
    String ns = controlPlane.createNamespace(client, "lease");
    Operator first = replica(ns, "replica-a");
    first.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder(ns)));
    Operator second = replica(ns, "replica-b");
    second.start();
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertThat(holder(ns)).isEqualTo("replica-a");
    first.stop();
    try {
      await().atMost(Duration.ofSeconds(45)).until(() -> "replica-b".equals(holder(ns)));
    } finally {
      second.stop();
    }
  }

  private static Operator replica(String ns, String identity) {
    var election = new LeaderElectionConfiguration(SerendipOperator.LEASE_NAME, ns, Duration.ofSeconds(6),
        Duration.ofSeconds(4), Duration.ofSeconds(1), identity, null, false);
    return SerendipOperator.create(client, Set.of(ns), new SimpleMeterRegistry(), Optional.of(election), 1);
  }

  private static String holder(String ns) {
    Lease lease = client.leases().inNamespace(ns).withName(SerendipOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
