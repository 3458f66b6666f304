package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The kstatus part every Serendip status shares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReconcileStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "kstatus conditions (Ready, Reconciling, Stalled) and domain conditions such as"
          + " ReferencesReady and InsufficientGPU.")
  public List<Condition> conditions = new ArrayList<>();
}
