package io.serendip.kube.local;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster DNS for a process on the host that talks to Services of the real node, such as an operator run
 * outside the cluster: the Services of one namespace by their in-cluster names and ClusterIPs, kept in a
 * {@link ServiceHosts} file while Services come and go. The host reaches the Service range through the real
 * node's link, where kube-proxy's rules forward to the ready pods, so the names mean what CoreDNS says in a pod.
 */
public final class ClusterIpHosts implements AutoCloseable {
  private final ServiceHosts hosts;
  private final SharedIndexInformer<Service> informer;

  private ClusterIpHosts(ServiceHosts hosts, SharedIndexInformer<Service> informer) {
    this.hosts = hosts;
    this.informer = informer;
  }

  /** Starts watching {@code namespace}; the file exists (maybe without Services) when this returns. */
  public static ClusterIpHosts watch(KubernetesClient client, String namespace, Path file) {
    ServiceHosts hosts = new ServiceHosts(file);
    hosts.write(Map.of());
    SharedIndexInformer<Service> informer = client.services().inNamespace(namespace).runnableInformer(0);
    ClusterIpHosts watcher = new ClusterIpHosts(hosts, informer);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service service) {
        watcher.rewrite();
      }

      @Override
      public void onUpdate(Service before, Service after) {
        watcher.rewrite();
      }

      @Override
      public void onDelete(Service service, boolean finalStateUnknown) {
        watcher.rewrite();
      }
    });
    informer.run();
    return watcher;
  }

  public Path file() {
    return hosts.file();
  }

  private void rewrite() {
    Map<String, String> names = new TreeMap<>();
    for (Service service : informer.getStore().list()) {
      String ip = service.getSpec().getClusterIP();
      if (ip != null && !ip.isBlank() && !"None".equals(ip)) {
        ServiceHosts.namesOf(service.getMetadata().getName(), service.getMetadata().getNamespace())
            .forEach(name -> names.put(name, ip));
      }
    }
    hosts.write(names);
  }

  @Override
  public void close() {
    informer.stop();
  }
}
