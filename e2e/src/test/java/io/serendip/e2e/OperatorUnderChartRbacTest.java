package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.SerendipOperator;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is not only narrow but sufficient: the operator runs in this JVM under the identity
 * of the chart's ServiceAccount (impersonated), configured as the chart configures it (one watched
 * namespace, leader election in the release namespace), and brings the quickstart to Ready.
 */
@WithLocalControlPlane
class OperatorUnderChartRbacTest {
  static LocalControlPlane controlPlane;
  static KubernetesClient admin;
  static KubernetesClient asServiceAccount;
  static Operator operator;
  static String releaseNamespace;
  static String watched;

  @BeforeAll
  static void installChartAndStartOperator() throws IOException {
    Cluster.installCrds(controlPlane);
    releaseNamespace = Cluster.restrictedNamespace(controlPlane, "serendip-rbac");
    watched = controlPlane.createNamespace(admin, "rbac-quickstart");
    String release = Cluster.uniqueName("rb");
    // No operator pods: the operator of this test is the in-process one below.
    Command.helm("install", release, Chart.DIR, "-n", releaseNamespace, "--set", "replicaCount=0",
        "--set", "watchNamespaces={" + watched + "}", "--wait", "--timeout", "2m")
        .against(controlPlane).timeout(Duration.ofMinutes(3)).ok();

    String serviceAccount = release + "-serendip-operator";
    Config config = Config.fromKubeconfig(Files.readString(controlPlane.kubeconfig()));
    config.setImpersonateUsername("system:serviceaccount:" + releaseNamespace + ":" + serviceAccount);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + releaseNamespace,
        "system:authenticated");
    config.setRequestTimeout(30_000);
    asServiceAccount = new KubernetesClientBuilder().withConfig(config).build();
    // Impersonation is in effect: the ServiceAccount may not read Secrets.
    assertThatThrownBy(() -> asServiceAccount.secrets().inNamespace(watched).list())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("Forbidden");
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (asServiceAccount != null) {
      asServiceAccount.close();
    }
  }

  @Test
  void quickstartBecomesReadyUnderTheChartsServiceAccount() {
    // The chart's Lease name and namespace; not exiting the JVM when leadership ends with the test.
    var election = new LeaderElectionConfiguration(SerendipOperator.LEASE_NAME, releaseNamespace,
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), "e2e", null, false);
    operator = SerendipOperator.create(asServiceAccount, Set.of(watched), new SimpleMeterRegistry(),
        Optional.of(election), 2);
    operator.start();

    controlPlane.kubectl("apply", "-n", watched, "-f", Command.repo().resolve("examples/quickstart").toString());
    for (String kind : List.of("interestclustersets", "interestmodels", "recommendermodels", "explorationexperiments")) {
      controlPlane.kubectl("wait", "-n", watched, "--for=condition=Ready", "--timeout=240s", kind, "--all");
    }
    assertThat(controlPlane.kubectl("get", "deployments", "-n", watched, "-o", "name"))
        .contains("deployment.apps/quickstart-router");
    assertThat(controlPlane.kubectl("get", "lease", SerendipOperator.LEASE_NAME, "-n", releaseNamespace,
        "-o", "jsonpath={.spec.holderIdentity}")).isEqualTo("e2e");
    // Events are best effort in the operator (a refusal is only logged): check they were allowed.
    assertThat(controlPlane.kubectl("get", "events", "-n", watched, "-o", "jsonpath={.items[*].source.component}"))
        .contains("serendip-operator");
  }
}
