package io.serendip.kube.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The directories behind a pod's volumes on the local node: hostPath under the node's root, emptyDir
 * and configMap under the pod's own directory, PVCs under the node's claim directory. ConfigMap
 * contents are (re)written atomically so a running server sees an update as a file change, as in a pod.
 */
final class PodVolumes {
  private final Path podDir;
  private final Path hostRoot;
  private final Path claimsDir;
  private final Map<String, Path> byVolume = new LinkedHashMap<>();
  private final Map<String, Volume> configMapVolumes = new TreeMap<>();

  PodVolumes(Pod pod, Path podDir, Path hostRoot, Path claimsDir) {
    this.podDir = podDir;
    this.hostRoot = hostRoot;
    this.claimsDir = claimsDir;
    String ns = pod.getMetadata().getNamespace();
    for (Volume v : pod.getSpec().getVolumes()) {
      byVolume.put(v.getName(), directoryOf(ns, v));
      if (v.getConfigMap() != null) {
        configMapVolumes.put(v.getName(), v);
      }
    }
  }

  private Path directoryOf(String namespace, Volume v) {
    if (v.getHostPath() != null) {
      return hostRoot.resolve(relative(v.getHostPath().getPath()));
    }
    if (v.getPersistentVolumeClaim() != null) {
      return claimsDir.resolve(namespace).resolve(v.getPersistentVolumeClaim().getClaimName());
    }
    // Projected volumes (the service-account token kubelet would inject) are mounted empty: the runtime never calls the API.
    if (v.getEmptyDir() != null || v.getConfigMap() != null || v.getProjected() != null) {
      return podDir.resolve("volumes").resolve(v.getName());
    }
    throw new UnsupportedVolumeException("volume " + v.getName() + ": only hostPath, persistentVolumeClaim, emptyDir, configMap and projected are supported on the local node");
  }

  private static String relative(String absolute) {
    return absolute.startsWith("/") ? absolute.substring(1) : absolute;
  }

  /** {@code mountPath=directory} pairs for the container, in the runtime's SERENDIP_PATH_MAP syntax. */
  String pathMap(Container container) {
    StringBuilder out = new StringBuilder();
    for (VolumeMount m : container.getVolumeMounts()) {
      Path dir = byVolume.get(m.getName());
      if (dir == null) {
        throw new UnsupportedVolumeException("volumeMount " + m.getName() + " names no volume of the pod");
      }
      if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
        dir = dir.resolve(m.getSubPath());
      }
      out.append(out.isEmpty() ? "" : ",").append(m.getMountPath()).append('=').append(dir);
    }
    return out.toString();
  }

  /** Creates every directory; writes configMap contents. Returns a message when a configMap is missing. */
  String prepare(BiFunction<String, String, ConfigMap> configMaps, String namespace) {
    try {
      for (Path dir : byVolume.values()) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return syncConfigMaps(configMaps, namespace);
  }

  /** Rewrites configMap files whose content changed; returns a message when a configMap is missing. */
  String syncConfigMaps(BiFunction<String, String, ConfigMap> configMaps, String namespace) {
    for (Volume v : configMapVolumes.values()) {
      ConfigMap cm = configMaps.apply(namespace, v.getConfigMap().getName());
      if (cm == null) {
        if (Boolean.TRUE.equals(v.getConfigMap().getOptional())) {
          continue;
        }
        return "configmap \"" + v.getConfigMap().getName() + "\" not found";
      }
      Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
      Map<String, String> files = new TreeMap<>();
      if (v.getConfigMap().getItems() == null || v.getConfigMap().getItems().isEmpty()) {
        files.putAll(data);
      } else {
        for (KeyToPath item : v.getConfigMap().getItems()) {
          if (data.containsKey(item.getKey())) {
            files.put(item.getPath(), data.get(item.getKey()));
          }
        }
      }
      Path dir = byVolume.get(v.getName());
      files.forEach((name, content) -> writeIfChanged(dir.resolve(name), content));
    }
    return null;
  }

  private static void writeIfChanged(Path file, String content) {
    try {
      if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        return;
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final class UnsupportedVolumeException extends RuntimeException {
    UnsupportedVolumeException(String message) {
      super(message);
    }
  }
}
