package io.serendip.kube.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Cluster DNS for processes on the host: a hosts file (the JDK's {@code jdk.net.hosts.file} format) naming
 * each Service by its in-cluster names, rewritten atomically only when an address changes.
 */
public final class ServiceHosts {
  private final Path file;
  private String written;

  public ServiceHosts(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  public static List<String> namesOf(String service, String namespace) {
    return List.of(service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  public synchronized void write(Map<String, String> addresses) {
    StringBuilder text = new StringBuilder("127.0.0.1 localhost\n");
    addresses.forEach((name, ip) -> text.append(ip).append(' ').append(name).append('\n'));
    String content = text.toString();
    if (content.equals(written)) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      written = content;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
