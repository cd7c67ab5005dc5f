package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer cache that keeps each object only as {@link #prune} leaves it, so what the operator
 * holds is what it reads, not the whole object the API server sent, and nothing of objects it has
 * no use for. The informer then hands an update of an object it does not hold to its handlers as an
 * add, and does not pass on its delete.
 *
 * <p>Objects are held by namespace, then by the name string of the kept copy, not by the informer's
 * {@code namespace/name} key: that key is one more string per object (about 80 bytes), made again
 * for each call that asks.
 */
abstract class PruningStore<T extends HasMetadata> implements ItemStore<T> {

  private final Map<String, Map<String, T>> byNamespace = new ConcurrentHashMap<>();

  /**
   * What is kept of {@code object}: the object itself trimmed, or a new, smaller one; null keeps
   * nothing of it.
   */
  abstract T prune(T object);

  @Override
  public String getKey(T object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public T put(String key, T object) {
    T kept = prune(object);
    if (kept == null) {
      return remove(key);
    }
    List<T> before = new ArrayList<>(1);
    byNamespace.compute(
        namespace(kept),
        (ns, names) -> {
          Map<String, T> held = names == null ? new ConcurrentHashMap<>() : names;
          before.add(held.put(kept.getMetadata().getName(), kept));
          return held;
        });
    return before.get(0);
  }

  @Override
  public T remove(String key) {
    int slash = key.indexOf('/');
    String name = key.substring(slash + 1);
    List<T> removed = new ArrayList<>(1);
    // Atomic per namespace with put: an emptied namespace's map goes, and no put lands in it.
    byNamespace.computeIfPresent(
        slash < 0 ? "" : key.substring(0, slash),
        (ns, names) -> {
          removed.add(names.remove(name));
          return names.isEmpty() ? null : names;
        });
    return removed.isEmpty() ? null : removed.get(0);
  }

  @Override
  public Stream<String> keySet() {
    return values().map(this::getKey);
  }

  @Override
  public Stream<T> values() {
    return byNamespace.values().stream().flatMap(names -> names.values().stream());
  }

  @Override
  public int size() {
    return byNamespace.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public T get(String key) {
    int slash = key.indexOf('/');
    Map<String, T> names = byNamespace.get(slash < 0 ? "" : key.substring(0, slash));
    return names == null ? null : names.get(key.substring(slash + 1));
  }

  private static String namespace(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return namespace == null ? "" : CompactObjects.shared(namespace);
  }
}
