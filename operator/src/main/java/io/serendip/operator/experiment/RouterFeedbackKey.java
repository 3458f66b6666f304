package io.serendip.operator.experiment;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Secret holding the key every replica of an experiment's router signs request ids with. The operator creates it
 * once with random bytes and never reads it back: it needs only {@code create} on Secrets (an existing one answers
 * 409 and is kept, so a restarted operator does not change the key). Owned by the experiment, so it goes with it.
 */
final class RouterFeedbackKey {
  /** The Secret's key, which is also the file name beside the config in the router pods. */
  static final String FILE = "feedback-key";
  static final String KEY_FILE = PodTemplates.CONFIG_DIR + "/" + FILE;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  static String secretName(ExplorationExperiment xp) {
    return ExplorationExperimentReconciler.routerName(xp) + "-" + FILE;
  }

  /** Creates the Secret unless this operator process already did (or found it) for this experiment. */
  void ensure(KubernetesClient client, ExplorationExperiment xp) {
    String uid = xp.getMetadata().getUid();
    if (uid != null && created.contains(uid)) {
      return;
    }
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    Secret secret = new SecretBuilder()
        .withMetadata(Workloads.meta(xp, secretName(xp), ExplorationExperimentReconciler.COMPONENT))
        .editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(xp.getApiVersion())
            .withKind(xp.getKind()).withName(xp.getMetadata().getName()).withUid(uid).withController(true)
            .withBlockOwnerDeletion(false).build()).endMetadata()
        .withType("Opaque")
        .addToData(FILE, Base64.getEncoder().encodeToString(key))
        .build();
    try {
      client.secrets().resource(secret).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    if (uid != null) {
      created.add(uid);
    }
  }
}
