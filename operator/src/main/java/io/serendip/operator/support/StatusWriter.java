package io.serendip.operator.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.serendip.operator.api.ReconcileStatus;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "report" step: patches status only when it differs from what the server has (so an unchanged
 * object causes no write) and records an Event for every condition that changed.
 */
public final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BAD_WHEN_TRUE =
      Set.of(Conditions.STALLED, Conditions.INSUFFICIENT_GPU, Conditions.DEGRADED);

  private StatusWriter() {}

  public static <P extends HasMetadata, S extends ReconcileStatus> UpdateControl<P> patchIfChanged(
      Context<P> context, P primary, S previous, S next, BiConsumer<P, S> setStatus) {
    if (JSON.valueToTree(previous).equals(JSON.valueToTree(next))) {
      return UpdateControl.noUpdate();
    }
    recordTransitions(context, primary, previous, next);
    setStatus.accept(primary, next);
    return UpdateControl.patchStatus(primary);
  }

  private static void recordTransitions(Context<?> context, HasMetadata primary, ReconcileStatus prev, ReconcileStatus next) {
    for (Condition c : next.conditions) {
      Optional<Condition> before = Conditions.find(prev.conditions, c.getType());
      if (before.isPresent() && before.get().getStatus().equals(c.getStatus())) {
        continue;
      }
      if (before.isEmpty() && "False".equals(c.getStatus()) && !Conditions.READY.equals(c.getType())) {
        continue; // a condition born False is not news
      }
      String text = c.getType() + "=" + c.getStatus() + (c.getMessage().isEmpty() ? "" : ": " + c.getMessage());
      LOG.info("{} {}/{} condition {} reason={}", primary.getKind(), primary.getMetadata().getNamespace(),
          primary.getMetadata().getName(), text, c.getReason());
      boolean bad = BAD_WHEN_TRUE.contains(c.getType()) && "True".equals(c.getStatus());
      boolean notReady = Conditions.READY.equals(c.getType()) && "False".equals(c.getStatus()) && before.isPresent();
      if (bad || notReady) {
        EventRecorder.warning(context.getClient(), primary, c.getReason(), text);
      } else {
        EventRecorder.normal(context.getClient(), primary, c.getReason(), text);
      }
    }
  }
}
