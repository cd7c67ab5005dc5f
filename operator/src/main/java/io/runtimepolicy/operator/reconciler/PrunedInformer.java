package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer event source over a {@link PruningStore}, without fabric8's namespace index.
 *
 * <p>That index is kept beside the store, not in it: it holds the key of every object the informer
 * is handed, also of those the store keeps nothing of, and forgets a key only when the store gives
 * back the object it removes. So it held a key per ungoverned workload (about 110 bytes each, most
 * of what one cost) and never let go of the keys of deleted ones: a cluster whose CronJobs create
 * Jobs grew it by every Job ever created. Nothing reads it: JOSDK lists a namespace by filtering
 * the whole cache, and the operator's own lookups go through the store. JOSDK offers no hook to the
 * informers it creates, so they are reached by reflection once started; should a JOSDK release move
 * them, the index stays and the operator works as before, a warning says so.
 */
final class PrunedInformer<T extends HasMetadata> extends InformerEventSource<T, RuntimePolicy> {

  private static final Logger LOG = LoggerFactory.getLogger(PrunedInformer.class);

  private volatile int indexesDropped;

  PrunedInformer(
      InformerEventSourceConfiguration<T> configuration,
      EventSourceContext<RuntimePolicy> context) {
    super(configuration, context);
  }

  @Override
  public synchronized void start() {
    super.start();
    List<SharedIndexInformer<?>> informers = informers(this);
    informers.forEach(SharedIndexInformer::removeNamespaceIndex);
    indexesDropped = informers.size();
  }

  /**
   * How many of its informers run without the namespace index: all of them, or 0 if unreachable.
   */
  int indexesDropped() {
    return indexesDropped;
  }

  /**
   * What {@code policy}'s secondary resources are, answered from {@code store}. Given to JOSDK, it
   * replaces JOSDK's own index of them, which held an id per governed object made of the whole
   * object's strings (about 190 bytes a workload) for lookups the operator never makes: its
   * reconciles read the caches through the store.
   */
  static <T extends HasMetadata> PrimaryToSecondaryMapper<RuntimePolicy> secondariesIn(
      PruningStore<T> store, BiPredicate<T, RuntimePolicy> concerns) {
    return policy ->
        store
            .values()
            .filter(
                o ->
                    Objects.equals(
                            o.getMetadata().getNamespace(), policy.getMetadata().getNamespace())
                        && concerns.test(o, policy))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
  }

  /** The fabric8 informers JOSDK runs for {@code source}, one per watched namespace or one. */
  static List<SharedIndexInformer<?>> informers(ManagedInformerEventSource<?, ?, ?> source) {
    try {
      Object manager = field(ManagedInformerEventSource.class, "cache").get(source);
      Map<?, ?> wrappers = (Map<?, ?>) field(manager.getClass(), "sources").get(manager);
      List<SharedIndexInformer<?>> informers = new ArrayList<>();
      for (Object wrapper : wrappers.values()) {
        informers.add((SharedIndexInformer<?>) field(wrapper.getClass(), "informer").get(wrapper));
      }
      return informers;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Informer {} keeps fabric8's namespace index (a key per object it was handed): {}",
          source.name(),
          e.toString());
      return List.of();
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
