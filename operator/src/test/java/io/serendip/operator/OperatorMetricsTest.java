package io.serendip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.serendip.operator.api.ExplorationExperiment;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's JOSDK metrics, as Prometheus scrapes them, stay per controller however many resources it reconciles. */
class OperatorMetricsTest {
  private static final String CONTROLLER = "explorationexperiment";

  @Test
  void reconcilingMoreResourcesAddsNoSeries() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // registered, not started: nothing connects to this address
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:9").build()).build();
    Metrics metrics = SerendipOperator.create(client, Set.of(), registry, Optional.empty(), 1)
        .getConfigurationService().getMetrics();
    reconcile(metrics, 0, 1);
    long seriesForOne = series(registry.scrape());

    reconcile(metrics, 1, 500);
    String scrape = registry.scrape();
    assertThat(series(scrape)).isEqualTo(seriesForOne);
    assertThat(scrape).doesNotContain("xp-0000", "xp-0499")
        .containsPattern("operator_sdk_reconciliations_started_total\\{[^}]*kind=\"ExplorationExperiment\"[^}]*} 500\\.0")
        .containsPattern("operator_sdk_controllers_execution_reconcile_seconds_count\\{[^}]*} 500");
  }

  private static void reconcile(Metrics metrics, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      ExplorationExperiment xp = new ExplorationExperiment();
      xp.setMetadata(new ObjectMetaBuilder().withName(String.format("xp-%04d", i)).withNamespace("team-a").build());
      Map<String, Object> metadata = Map.of(
          Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(ExplorationExperiment.class),
          Constants.CONTROLLER_NAME, CONTROLLER);
      metrics.reconcileCustomResource(xp, null, metadata);
      metrics.timeControllerExecution(new Metrics.ControllerExecution<String>() {
        @Override public String name() {
          return "reconcile";
        }

        @Override public String controllerName() {
          return CONTROLLER;
        }

        @Override public String successTypeName(String result) {
          return "success";
        }

        @Override public ResourceID resourceID() {
          return ResourceID.fromResource(xp);
        }

        @Override public Map<String, Object> metadata() {
          return metadata;
        }

        @Override public String execute() {
          return "done";
        }
      });
      metrics.finishedReconciliation(xp, metadata);
    }
  }

  private static long series(String scrape) {
    return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }
}
