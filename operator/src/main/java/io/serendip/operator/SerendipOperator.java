package io.serendip.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.serendip.operator.clusterset.InterestClusterSetReconciler;
import io.serendip.operator.experiment.ExplorationExperimentReconciler;
import io.serendip.operator.interestmodel.InterestModelReconciler;
import io.serendip.operator.recommender.RecommenderModelReconciler;
import java.util.Optional;
import java.util.Set;

/** Wires the four reconcilers into one JOSDK operator; used by {@link OperatorMain} and by tests. */
public final class SerendipOperator {
  public static final String LEASE_NAME = "serendip-operator";

  private SerendipOperator() {}

  /** Leader election on the serendip-operator Lease in a namespace, with JOSDK's default timings. */
  public static LeaderElectionConfiguration leaseIn(String namespace) {
    return new LeaderElectionConfiguration(LEASE_NAME, namespace);
  }

  /**
   * @param namespaces namespaces to watch; empty watches all
   * @param leaderElection Lease-based leader election; empty disables it (single replica)
   */
  public static Operator create(KubernetesClient client, Set<String> namespaces, MeterRegistry registry,
      Optional<LeaderElectionConfiguration> leaderElection, int threads) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(threads)
          .withConcurrentWorkflowExecutorThreads(threads)
          // Per controller and kind, not per resource: per-resource tags add a set of series, reconcile-time
          // histograms included, for every custom resource; with a thousand experiments the /metrics
          // scrape alone then exhausted a 205 MiB heap (docs/benchmarks.md).
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      leaderElection.ifPresent(o::withLeaderElectionConfiguration);
    });
    operator.register(new InterestClusterSetReconciler(), c -> watch(c, namespaces));
    operator.register(new InterestModelReconciler(), c -> watch(c, namespaces));
    operator.register(new RecommenderModelReconciler(), c -> watch(c, namespaces));
    operator.register(new ExplorationExperimentReconciler(), c -> watch(c, namespaces));
    return operator;
  }

  private static void watch(io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> c,
      Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(namespaces);
    }
  }
}
