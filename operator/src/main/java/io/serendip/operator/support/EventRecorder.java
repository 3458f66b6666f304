package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on a custom resource; called on transitions only, never every reconcile. */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private EventRecorder() {}

  public static void normal(KubernetesClient client, HasMetadata on, String reason, String message) {
    record(client, on, "Normal", reason, message);
  }

  public static void warning(KubernetesClient client, HasMetadata on, String reason, String message) {
    record(client, on, "Warning", reason, message);
  }

  private static void record(KubernetesClient client, HasMetadata on, String type, String reason, String message) {
    String now = Instant.now().toString();
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(on.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
        .withNamespace(on.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(on.getApiVersion())
            .withKind(on.getKind())
            .withName(on.getMetadata().getName())
            .withNamespace(on.getMetadata().getNamespace())
            .withUid(on.getMetadata().getUid())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource("serendip-operator", null)
        .build();
    try {
      client.v1().events().inNamespace(on.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is best effort: losing one must not fail the reconcile.
      LOG.warn("could not record event {} on {}/{}: {}", reason, on.getKind(), on.getMetadata().getName(), e.getMessage());
    }
  }
}
