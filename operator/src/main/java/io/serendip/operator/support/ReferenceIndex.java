package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches a referenced kind (e.g. InterestClusterSet) for a referring kind (e.g. InterestModel): a
 * change to the referenced object re-reconciles exactly its referrers, found through an index on the
 * referrers' cache, and a referrer sees the objects it names as its secondary resources.
 */
public final class ReferenceIndex {
  private ReferenceIndex() {}

  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> eventSource(
      String name,
      Class<R> referencedType,
      Class<P> referrerType,
      EventSourceContext<P> context,
      Function<P, Collection<String>> referencedNames) {
    String index = referrerType.getSimpleName() + "->" + referencedType.getSimpleName();
    context.getPrimaryCache().addIndexer(index, p -> referencedNames.apply(p).stream()
        .map(n -> key(n, p.getMetadata().getNamespace()))
        .collect(Collectors.toList()));
    var config = InformerEventSourceConfiguration.from(referencedType, referrerType)
        .withName(name)
        .withSecondaryToPrimaryMapper(r -> context.getPrimaryCache()
            .byIndex(index, key(r.getMetadata().getName(), r.getMetadata().getNamespace()))
            .stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((P p) -> referencedNames.apply(p).stream()
            .map(n -> new ResourceID(n, p.getMetadata().getNamespace()))
            .collect(Collectors.toSet()))
        .withItemStore(new CompactItemStore<>())
        .build();
    return new InformerEventSource<>(config, context);
  }

  /**
   * Watches a referring kind (e.g. ExplorationExperiment) for a referenced kind (e.g. RecommenderModel): a change to
   * a referrer re-reconciles every object it names. Its referrers are read with {@link #referrers}.
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> referrersEventSource(
      String name, Class<R> referrerType, Class<P> referencedType, EventSourceContext<P> context,
      Function<R, Collection<String>> referencedNames) {
    var config = InformerEventSourceConfiguration.from(referrerType, referencedType)
        .withName(name)
        .withSecondaryToPrimaryMapper(r -> referencedNames.apply(r).stream()
            .map(n -> new ResourceID(n, r.getMetadata().getNamespace()))
            .collect(Collectors.toSet()))
        .withItemStore(new CompactItemStore<>())
        .build();
    return new InformerEventSource<>(config, context);
  }

  /** The referrers in the primary's namespace, from the cache of a {@link #referrersEventSource}. */
  public static <R extends HasMetadata, P extends HasMetadata> List<R> referrers(
      io.javaoperatorsdk.operator.api.reconciler.Context<P> context, String name, Class<R> referrerType, P primary) {
    var source = context.eventSourceRetriever().getEventSourceFor(referrerType, name);
    return ((InformerEventSource<R, P>) source).list(primary.getMetadata().getNamespace(), r -> true).toList();
  }

  /** Pods (or other objects) labelled with their owner's name map back to that owner. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> labelledEventSource(
      String name, Class<R> type, Class<P> ownerType, EventSourceContext<P> context) {
    return byInstanceLabel(name, type, ownerType, Labels.managedSelector(HasMetadata.getKind(ownerType)), context);
  }

  /** Like {@link #labelledEventSource}, for the objects of one component only (e.g. one kind of Job). */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> componentEventSource(
      String name, Class<R> type, Class<P> ownerType, String component, EventSourceContext<P> context) {
    return byInstanceLabel(name, type, ownerType,
        Labels.managedSelector(HasMetadata.getKind(ownerType)) + "," + Labels.COMPONENT + "=" + component, context);
  }

  private static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> byInstanceLabel(
      String name, Class<R> type, Class<P> ownerType, String selector, EventSourceContext<P> context) {
    var config = InformerEventSourceConfiguration.from(type, ownerType)
        .withName(name)
        .withLabelSelector(selector)
        .withSecondaryToPrimaryMapper(r -> {
          String owner = r.getMetadata().getLabels().get(Labels.INSTANCE);
          return owner == null ? Set.of() : Set.of(new ResourceID(owner, r.getMetadata().getNamespace()));
        })
        .withItemStore(new CompactItemStore<>())
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static String key(String name, String namespace) {
    return namespace + "/" + name;
  }

  public static List<String> one(String name) {
    return name == null ? List.of() : List.of(name);
  }
}
