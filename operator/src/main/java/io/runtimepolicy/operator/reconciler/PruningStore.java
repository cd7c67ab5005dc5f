package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer cache that keeps each object only as {@link #prune} leaves it, so what the operator
 * holds is what it reads, not the whole object the API server sent, and nothing of objects it has
 * no use for. The informer then hands an update of an object it does not hold to its handlers as an
 * add, and does not pass on its delete.
 */
abstract class PruningStore<T extends HasMetadata> implements ItemStore<T> {

  private final Map<String, T> items = new ConcurrentHashMap<>();

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
    return kept == null ? items.remove(key) : items.put(key, kept);
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}
