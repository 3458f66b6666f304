package io.serendip.kube.local.node;

import io.serendip.kube.local.ServiceHosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes node whose pods are local processes (see the package description). It registers its
 * Node object, keeps its Lease and Ready condition fresh, and syncs every pod bound to it twice a
 * second: start, probe, restart, complete, terminate, and report status; Service names of ready pods
 * go to a hosts file the processes resolve through.
 */
public final class LocalNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST_IP = "127.0.0.1";
  /**
   * Label and NoSchedule taint of the node: only pods that select it and tolerate the taint run here,
   * so nothing meant for the fake nodes becomes a real process by accident.
   */
  public static final String LABEL = "serendip.io/local-node";

  /** Where the node keeps things and what it runs. */
  public record Options(String name, Path stateDir, Path hostRoot, Path runtimeJar, Path java, int cpus, String memory) {
    public Options {
      Objects.requireNonNull(name);
      Objects.requireNonNull(stateDir);
      Objects.requireNonNull(runtimeJar);
      hostRoot = hostRoot == null ? stateDir.resolve("root") : hostRoot;
      java = java == null ? Path.of(System.getProperty("java.home"), "bin", "java") : java;
      cpus = cpus <= 0 ? 4 : cpus;
      memory = memory == null ? "16Gi" : memory;
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final RuntimeLauncher launcher;
  private final ServiceHosts hosts;
  private final Map<String, PodProcess> processes = new HashMap<>();
  private final Map<String, String> reported = new HashMap<>();
  private final ScheduledExecutorService loop;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<ConfigMap> configMaps;
  private int nextAddress = 1;
  private volatile boolean closed;

  private LocalNode(KubernetesClient client, Options options) {
    this.client = client;
    this.options = options;
    this.hosts = new ServiceHosts(options.stateDir().resolve("hosts"));
    this.launcher = new RuntimeLauncher(options.java(), options.runtimeJar(), hosts.file());
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "local-node-" + options.name());
      t.setDaemon(true);
      return t;
    });
  }

  /** Registers the node and starts running the pods bound to it. */
  public static LocalNode start(KubernetesClient client, Options options) {
    if (!Files.isRegularFile(options.runtimeJar())) {
      throw new IllegalArgumentException("runtime jar not found: " + options.runtimeJar()
          + " (build it with ./mvnw -pl runtime -am package -DskipTests)");
    }
    LocalNode node = new LocalNode(client, options);
    node.register();
    node.pods = client.pods().inAnyNamespace().withField("spec.nodeName", options.name()).inform();
    node.services = client.services().inAnyNamespace().inform();
    node.configMaps = client.configMaps().inAnyNamespace().inform();
    node.hosts.write(Map.of());
    node.loop.scheduleWithFixedDelay(node::syncSafely, 0, 500, TimeUnit.MILLISECONDS);
    node.loop.scheduleWithFixedDelay(node::heartbeatSafely, 10, 10, TimeUnit.SECONDS);
    LOG.info("local node {} is running pods as processes (state {})", options.name(), options.stateDir());
    return node;
  }

  public String name() {
    return options.name();
  }

  /** The hosts file that maps Service names to the addresses of their ready local pods. */
  public Path hostsFile() {
    return hosts.file();
  }

  /** The combined output of a pod's process (empty path when the pod never ran here). */
  public Path logOf(String namespace, String pod) {
    return podDir(namespace, pod).resolve("container.log");
  }

  /**
   * Kills a pod's running process with SIGKILL, as when a container crashes or is OOM-killed; the node
   * then reports it and restarts it after back-off as the pod's restart policy says. Returns false when
   * the pod has no running process here.
   */
  public boolean crash(String namespace, String pod) {
    try {
      return loop.submit(() -> {
        PodProcess p = processes.get(namespace + "/" + pod);
        if (p == null || !p.running()) {
          return false;
        }
        p.kill();
        return true;
      }).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while crashing " + namespace + "/" + pod, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not crash " + namespace + "/" + pod, e);
    }
  }

  private Path podDir(String namespace, String pod) {
    return options.stateDir().resolve("pods").resolve(namespace).resolve(pod);
  }

  private void register() {
    Node node = new NodeBuilder()
        .withNewMetadata().withName(options.name())
        .addToLabels("kubernetes.io/hostname", options.name())
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels(LABEL, "true")
        .endMetadata()
        .withNewSpec().addNewTaint().withKey(LABEL).withValue("true").withEffect("NoSchedule").endTaint().endSpec()
        .build();
    client.nodes().resource(node).serverSideApply();
    patchNodeStatus();
    renewLease();
  }

  private void patchNodeStatus() {
    Map<String, Quantity> capacity = new TreeMap<>(Map.of(
        "cpu", new Quantity(Integer.toString(options.cpus())),
        "memory", new Quantity(options.memory()),
        "pods", new Quantity("64"),
        "ephemeral-storage", new Quantity("100Gi")));
    String now = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).toInstant().toString();
    List<NodeCondition> conditions = List.of(
        condition("Ready", "True", "KubeletReady", "local node is running pods as processes", now),
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "", now),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "", now),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "", now));
    Map<String, Object> status = Map.of("status", Map.of(
        "capacity", capacity, "allocatable", capacity, "conditions", conditions,
        "addresses", List.of(Map.of("type", "InternalIP", "address", HOST_IP),
            Map.of("type", "Hostname", "address", options.name())),
        "nodeInfo", Map.of("architecture", System.getProperty("os.arch"), "operatingSystem", "linux",
            "kubeletVersion", "local", "containerRuntimeVersion", "local-process://1", "kubeProxyVersion", "",
            "bootID", "", "machineID", "", "systemUUID", "", "kernelVersion", "", "osImage", "local")));
    client.nodes().withName(options.name()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json(status));
  }

  private static NodeCondition condition(String type, String status, String reason, String message, String now) {
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
  }

  private void renewLease() {
    String now = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS).toString();
    Lease lease = new LeaseBuilder().withNewMetadata().withName(options.name()).withNamespace("kube-node-lease").endMetadata()
        .withNewSpec().withHolderIdentity(options.name()).withLeaseDurationSeconds(40)
        .withRenewTime(ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS)).endSpec().build();
    client.leases().inNamespace("kube-node-lease").resource(lease).forceConflicts().serverSideApply();
    LOG.trace("lease renewed at {}", now);
  }

  private void heartbeatSafely() {
    try {
      renewLease();
      patchNodeStatus();
    } catch (RuntimeException e) {
      LOG.warn("node heartbeat failed: {}", e.getMessage());
    }
  }

  private void syncSafely() {
    if (closed) {
      return;
    }
    try {
      sync();
    } catch (RuntimeException e) {
      LOG.warn("local node sync failed: {}", e.toString());
    }
  }

  private void sync() {
    Map<String, Pod> bound = new HashMap<>();
    for (Pod pod : pods.getStore().list()) {
      bound.put(key(pod), pod);
    }
    // Processes whose pod is gone altogether (force-deleted): stop them.
    processes.entrySet().removeIf(e -> {
      Pod pod = bound.get(e.getKey());
      if (pod == null || !pod.getMetadata().getUid().equals(e.getValue().uid)) {
        e.getValue().kill();
        reported.remove(e.getKey());
        return true;
      }
      return false;
    });
    for (Pod pod : bound.values()) {
      syncPod(pod);
    }
    hosts.write(serviceAddresses());
  }

  private void syncPod(Pod pod) {
    String key = key(pod);
    String ns = pod.getMetadata().getNamespace();
    PodProcess p = processes.get(key);
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 30 : pod.getMetadata().getDeletionGracePeriodSeconds();
      if (p == null || p.terminate(grace)) {
        processes.remove(key);
        reported.remove(key);
        deleteNow(pod);
      }
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (p == null && ("Succeeded".equals(phase) || "Failed".equals(phase))) {
      return; // finished before this node (re)started
    }
    if (p == null) {
      p = admit(pod);
      if (p == null) {
        return;
      }
      processes.put(key, p);
    } else {
      String missing = volumes(pod).syncConfigMaps(this::configMap, ns);
      if (missing != null) {
        LOG.warn("pod {}: {}", key, missing);
      }
    }
    p.step();
    report(pod, PodStatuses.of(pod, p, HOST_IP));
  }

  /** Checks the pod can run here, prepares its volumes and assigns its address; null when it cannot (yet). */
  private PodProcess admit(Pod pod) {
    String key = key(pod);
    var containers = pod.getSpec().getContainers();
    if (containers.size() != 1 || (pod.getSpec().getInitContainers() != null && !pod.getSpec().getInitContainers().isEmpty())) {
      report(pod, PodStatuses.rejected("UnsupportedPod", "the local node runs pods with exactly one container"));
      return null;
    }
    String image = containers.get(0).getImage();
    if (!RuntimeLauncher.runs(image) || (containers.get(0).getCommand() != null && !containers.get(0).getCommand().isEmpty())) {
      report(pod, PodStatuses.rejected("UnsupportedImage",
          "the local node runs only the serendip/runtime image with its default entrypoint, not " + image));
      return null;
    }
    PodVolumes volumes;
    try {
      volumes = volumes(pod);
    } catch (PodVolumes.UnsupportedVolumeException e) {
      report(pod, PodStatuses.rejected("UnsupportedVolume", e.getMessage()));
      return null;
    }
    String missing = volumes.prepare(this::configMap, pod.getMetadata().getNamespace());
    if (missing != null) {
      report(pod, PodStatuses.pending(pod, missing));
      return null;
    }
    String ip = "127.77." + (nextAddress / 250) + "." + (nextAddress % 250 + 1);
    nextAddress++;
    LOG.info("starting pod {} at {} (log {})", key, ip, podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
    return PodProcess.of(pod, ip, volumes, launcher, podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
  }

  private PodVolumes volumes(Pod pod) {
    return new PodVolumes(pod, podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()),
        options.hostRoot(), options.stateDir().resolve("claims"));
  }

  private ConfigMap configMap(String namespace, String name) {
    return configMaps.getStore().getByKey(namespace + "/" + name);
  }

  private void report(Pod pod, PodStatus status) {
    String body = json(Map.of("status", status));
    String key = key(pod);
    if (body.equals(reported.get(key))) {
      return;
    }
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
      reported.put(key, body);
    } catch (KubernetesClientException e) {
      LOG.warn("cannot report status of pod {}: {}", key, e.getMessage());
    }
  }

  private void deleteNow(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot finish deleting pod {}: {}", key(pod), e.getMessage());
    }
  }

  /** Service host names → address of one ready local pod behind the Service. */
  private Map<String, String> serviceAddresses() {
    Map<String, String> out = new TreeMap<>();
    List<Pod> podList = pods.getStore().list();
    for (Service svc : services.getStore().list()) {
      Map<String, String> selector = svc.getSpec() == null ? null : svc.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        continue;
      }
      String ns = svc.getMetadata().getNamespace();
      podList.stream()
          .filter(pod -> ns.equals(pod.getMetadata().getNamespace()) && pod.getMetadata().getDeletionTimestamp() == null)
          .filter(pod -> pod.getMetadata().getLabels() != null && pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
          .map(pod -> processes.get(key(pod)))
          .filter(p -> p != null && p.ready())
          .map(p -> p.ip)
          .sorted()
          .findFirst()
          .ifPresent(ip -> ServiceHosts.namesOf(svc.getMetadata().getName(), ns).forEach(n -> out.put(n, ip)));
    }
    return out;
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every process (SIGKILL), the informers and the loop; the Node object stays (as a stopped kubelet's). */
  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    processes.values().forEach(PodProcess::kill);
    processes.clear();
    for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {pods, services, configMaps}) {
      if (informer != null) {
        informer.close();
      }
    }
  }
}
