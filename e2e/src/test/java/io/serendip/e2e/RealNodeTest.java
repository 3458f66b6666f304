package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.LocalControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime image on the real node (hack/node.sh: containerd, runc, kubelet, kube-proxy, CoreDNS): the image's
 * entrypoint under the chart's restricted security context, memory limits enforced by the kernel, probes,
 * a ClusterIP Service over two replicas, and cluster DNS.
 */
class RealNodeTest {
  static LocalControlPlane cluster;
  static KubernetesClient client;
  static String image;
  static final String NS = "default";

  @BeforeAll
  static void startNode() {
    cluster = RealNode.cluster();
    client = cluster.newClient();
    image = RealNode.image("runtime");
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  /** The securityContext the chart renders for every Serendip container. */
  static String restricted() {
    return """
        securityContext:
          runAsNonRoot: true
          runAsUser: 65532
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
          seccompProfile: {type: RuntimeDefault}
        """.indent(4);
  }

  static void apply(String yaml) {
    cluster.kubectlWithInput(yaml, "apply", "-n", NS, "-f", "-").requireSuccess();
  }

  static ContainerStateTerminated terminated(String pod) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      Pod p = client.pods().inNamespace(NS).withName(pod).get();
      return p != null && p.getStatus().getContainerStatuses() != null
          && p.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState().getTerminated() != null);
    });
    ContainerStatus status = client.pods().inNamespace(NS).withName(pod).get().getStatus().getContainerStatuses().get(0);
    return status.getState().getTerminated();
  }

  @Test
  void theImagesEntrypointRunsAsTheChartRestrictsIt() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: version}
        spec:
          restartPolicy: Never
          containers:
          - name: runtime
            image: %s
            imagePullPolicy: Never
            args: ["--version"]
        %s""".formatted(image, restricted()));
    ContainerStateTerminated done = terminated("version");
    assertThat(done.getExitCode()).isZero();
    // The image's JVM resolves the Vector API for item scoring, and the JVM says so once at start, on stderr.
    assertThat(cluster.kubectl("logs", "-n", NS, "version"))
        .matches("WARNING: Using incubator modules: jdk.incubator.vector\\R"
            + "serendip \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\s*");
    Pod pod = client.pods().inNamespace(NS).withName("version").get();
    assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalControlPlane.REAL_NODE);
  }

  /**
   * The runtime-cuda image on a CPU node under the restricted context: the Java runtime trains a recommender with
   * DJL on PyPI's libtorch (not DJL's bundled one: nothing of it lands in DJL's cache), and the LLM component loads
   * the default base model from the image's model cache with transformers and runs a forward pass.
   */
  @Test
  void theCudaImageRunsDjlOnPyPisTorchAndTheLlmComponentOnACpuNode() {
    String cuda = RealNode.image("runtime-cuda");
    String container = """
          image: %s
          imagePullPolicy: Never
          env: [{name: HOME, value: /tmp}, {name: DJL_CACHE_DIR, value: /tmp/djl}]
          volumeMounts: [{name: work, mountPath: /work}, {name: tmp, mountPath: /tmp}]
          resources: {limits: {memory: 2Gi}}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
        """.formatted(cuda).indent(2);
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: cuda-image}
        spec:
          restartPolicy: Never
          securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
          volumes: [{name: work, emptyDir: {}}, {name: tmp, emptyDir: {}}]
          initContainers:
          - name: data
            args: [job, generate-synthetic, --items, "120", --users, "80", --interests, "4", --seed, "3", --output, /work/ds]
        %s
          - name: train
            args: [job, train-recommender, --dataset, /work/ds, --epochs, "1", --output, /work/rec]
        %s
          containers:
          - name: llm
            command: [sh, -c]
            args:
            - |
              ls -R /tmp/djl
              python3 -c "
              from transformers import AutoModelForCausalLM, AutoTokenizer
              import serendip_llm, torch
              d, f = '/opt/serendip/models', 'SmolLM2-135M-Instruct.Q4_1.gguf'
              tok = AutoTokenizer.from_pretrained(d, gguf_file=f)
              model = AutoModelForCausalLM.from_pretrained(d, gguf_file=f)
              ids = tok('drama, war, 1990s', return_tensors='pt').input_ids
              print('torch', torch.__version__, 'logits', tuple(model(ids).logits.shape))"
        %s""".formatted(container, container, container));
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      String phase = client.pods().inNamespace(NS).withName("cuda-image").get().getStatus().getPhase();
      return "Succeeded".equals(phase) || "Failed".equals(phase);
    });
    String train = cluster.kubectl("logs", "-n", NS, "cuda-image", "-c", "train");
    String llm = cluster.kubectl("logs", "-n", NS, "cuda-image", "-c", "llm");
    assertThat(client.pods().inNamespace(NS).withName("cuda-image").get().getStatus().getPhase())
        .as("train:%n%s%nllm:%n%s", train, llm).isEqualTo("Succeeded");
    assertThat(train).contains("wrote /work/rec");
    assertThat(llm).as("DJL bound its JNI to the image's torch and extracted no libtorch of its own")
        .contains("libdjl_torch.so").doesNotContain("libtorch_cpu.so");
    assertThat(llm).containsPattern("torch 2\\.7\\.1\\+cu\\d+ logits \\(1, \\d+, 49152\\)");
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() {
    // The shell holds 400 MB in one variable against a 64 MiB limit: the kernel's memory cgroup kills it.
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: hog}
        spec:
          restartPolicy: Never
          containers:
          - name: hog
            image: %s
            imagePullPolicy: Never
            command: ["sh", "-c", "x=$(head -c 400000000 /dev/zero | tr '\\\\0' a); echo survived ${#x}"]
            resources:
              limits: {memory: 64Mi, cpu: 500m}
        %s""".formatted(image, restricted()));
    ContainerStateTerminated done = terminated("hog");
    assertThat(done.getReason()).isEqualTo("OOMKilled");
    assertThat(done.getExitCode()).isEqualTo(137);
  }

  @Test
  void twoRouterReplicasServeBehindAClusterIpServiceAndByDnsName() throws Exception {
    apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: router}
        data:
          config.yaml: |
            apiVersion: serendip.io/v1alpha1
            kind: RouterConfig
            router:
              experiment: node-check
              salt: s
              arms:
                - {name: control, control: true, weightBasisPoints: 10000, backend: "http://backend.default.svc.cluster.local:8080"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: router}
        spec:
          replicas: 2
          selector: {matchLabels: {app: router}}
          template:
            metadata: {labels: {app: router}}
            spec:
              volumes:
              - {name: config, configMap: {name: router}}
              - {name: tmp, emptyDir: {}}
              containers:
              - name: router
                image: %s
                imagePullPolicy: Never
                args: ["router", "--config", "/etc/serendip/config.yaml"]
                ports: [{containerPort: 8080, name: http}]
                env: [{name: JAVA_TOOL_OPTIONS, value: "-Xmx256m"}]
                volumeMounts:
                - {name: config, mountPath: /etc/serendip}
                - {name: tmp, mountPath: /tmp}
                readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 2}
                livenessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
                resources:
                  limits: {memory: 512Mi}
        %s
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: router}
        spec:
          selector: {app: router}
          ports: [{port: 80, targetPort: http}]
        """.formatted(image, restricted().indent(4)));
    cluster.kubectl("rollout", "status", "-n", NS, "deployment/router", "--timeout=4m");
    Service service = client.services().inNamespace(NS).withName("router").get();
    String clusterIp = service.getSpec().getClusterIP();

    // From this machine through the node's link: kube-proxy's rules spread connections over both replicas,
    // told apart by the time each router process started (/v1/stats, to the nanosecond).
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Set<String> pods = new HashSet<>();
    Pattern startedAt = Pattern.compile("\"startedAt\":\"([^\"]+)\"");
    // Polled for a while: both pods are Ready before kube-proxy has programmed the second endpoint.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // a new connection
      HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(URI.create("http://" + clusterIp + "/v1/stats"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      Matcher m = startedAt.matcher(r.body());
      assertThat(m.find()).as(r.body()).isTrue();
      pods.add(m.group(1));
      assertThat(pods).as("distinct router processes answering through the Service").hasSize(2);
    });
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + clusterIp + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

    // Cluster DNS from a pod: the Service's name resolves to its ClusterIP.
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: lookup}
        spec:
          restartPolicy: Never
          containers:
          - name: lookup
            image: %s
            imagePullPolicy: Never
            command: ["getent", "hosts", "router.default.svc.cluster.local"]
        %s""".formatted(image, restricted()));
    assertThat(terminated("lookup").getExitCode()).isZero();
    assertThat(cluster.kubectl("logs", "-n", NS, "lookup")).startsWith(clusterIp + " ");
  }

  /**
   * The chart as a user installs it, on a namespace enforcing the restricted Pod Security Standard: two operator
   * replicas run the operator image on the node (probes, leader election through kubernetes.default), and
   * `helm test` runs its hook for real: `serendip probe` reaches the operator's /readyz by its Service's DNS name.
   */
  @Test
  void theChartRunsOnTheNodeAndItsHelmTestPasses() {
    Cluster.installCrds(cluster);
    String ns = Cluster.restrictedNamespace(cluster, "serendip-system");
    String release = Cluster.uniqueName("sd");
    Command.helm("install", release, Chart.DIR, "-n", ns, "--wait", "--timeout", "5m")
        .against(cluster.kubeconfig()).timeout(Duration.ofMinutes(6)).ok();
    try {
      runsAndPassesItsHelmTest(release, ns);
    } finally {
      // The node is shared with other test classes: an operator watching every namespace must not stay behind.
      Command.helm("uninstall", release, "-n", ns, "--wait", "--timeout", "2m")
          .against(cluster.kubeconfig()).timeout(Duration.ofMinutes(3)).ok();
    }
  }

  private void runsAndPassesItsHelmTest(String release, String ns) {
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("app.kubernetes.io/instance", release).list().getItems();
    assertThat(pods).hasSize(2);
    for (Pod pod : pods) {
      assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalControlPlane.REAL_NODE);
      assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
    }
    String test = Command.helm("test", release, "-n", ns, "--timeout", "4m")
        .against(cluster.kubeconfig()).timeout(Duration.ofMinutes(5)).ok();
    assertThat(test).contains("Phase:          Succeeded");
    assertThat(cluster.kubectl("logs", "-n", ns, "job/" + release + "-serendip-operator-test"))
        .contains("/readyz answered 200");
  }
}
