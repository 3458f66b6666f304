package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.TreeMap;

/** The recommended app.kubernetes.io labels on every object the operator creates. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF_KIND = "serendip.io/owner-kind";
  public static final String MANAGER = "serendip-operator";

  private Labels() {}

  /** Labels that select the pods of one component of one owner; never change once created. */
  public static Map<String, String> selector(HasMetadata owner, String component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(NAME, "serendip");
    labels.put(INSTANCE, owner.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }

  /** {@link #selector} as a label-selector string, as the scale subresource reports it. */
  public static String selectorString(HasMetadata owner, String component) {
    StringBuilder out = new StringBuilder();
    selector(owner, component).forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return out.toString();
  }

  /** Selector labels plus the bookkeeping ones. */
  public static Map<String, String> of(HasMetadata owner, String component) {
    Map<String, String> labels = selector(owner, component);
    labels.put(MANAGED_BY, MANAGER);
    labels.put(PART_OF_KIND, owner.getKind());
    return labels;
  }

  /** Label selector string (for informers) of everything this operator manages for a kind. */
  public static String managedSelector(String kind) {
    return MANAGED_BY + "=" + MANAGER + "," + PART_OF_KIND + "=" + kind;
  }
}
