package io.serendip.kube.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as a kubelet computes it: literal values and the downward API's field
 * references (name, namespace, uid, pod IP, one annotation or label, e.g. the Indexed Job's
 * completion index); and the {@code $(VAR)} expansion Kubernetes applies to args.
 */
final class ContainerEnvironment {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
  private static final Pattern MAP_KEY = Pattern.compile("metadata\\.(annotations|labels)\\['(.+)'\\]");

  private ContainerEnvironment() {}

  static Map<String, String> of(Pod pod, Container c, String podIp) {
    Map<String, String> env = new TreeMap<>();
    if (c.getEnv() == null) {
      return env;
    }
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), expand(e.getValue(), env));
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        String value = field(pod, e.getValueFrom().getFieldRef().getFieldPath(), podIp);
        if (value != null) {
          env.put(e.getName(), value);
        }
      }
    }
    return env;
  }

  private static String field(Pod pod, String path, String podIp) {
    var meta = pod.getMetadata();
    switch (path) {
      case "metadata.name": return meta.getName();
      case "metadata.namespace": return meta.getNamespace();
      case "metadata.uid": return meta.getUid();
      case "status.podIP": return podIp;
      case "spec.nodeName": return pod.getSpec().getNodeName();
      default:
        Matcher m = MAP_KEY.matcher(path);
        if (!m.matches()) {
          return null;
        }
        Map<String, String> values = m.group(1).equals("annotations") ? meta.getAnnotations() : meta.getLabels();
        return values == null ? null : values.get(m.group(2));
    }
  }

  /** {@code $(VAR)} becomes the variable's value when it is defined, {@code $$} a single {@code $}. */
  static String expand(String text, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        replacement = env.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
