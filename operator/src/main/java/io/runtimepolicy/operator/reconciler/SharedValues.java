package io.runtimepolicy.operator.reconciler;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One instance of each equal value the caches' compact copies hold, as {@link String#intern} is for
 * strings: thousands of workloads repeat the same variables, resources and probe timeouts, and the
 * copies are immutable, so they may share them. A value is held weakly and goes with the last copy
 * that uses it, so what is shared never outlives the workloads: nothing here is kept per policy,
 * namespace or workload.
 *
 * <p>{@code K} says when two values are interchangeable. It is not the value itself: fabric8's
 * equality of a {@code Quantity} is numeric, and {@code 1Gi} must not come back as {@code 1024Mi}.
 */
final class SharedValues<K, V> {

  private final Map<K, Entry<K, V>> values = new HashMap<>();
  private final ReferenceQueue<V> collected = new ReferenceQueue<>();

  private static final class Entry<K, V> extends WeakReference<V> {
    final K key;

    Entry(K key, V value, ReferenceQueue<V> queue) {
      super(value, queue);
      this.key = key;
    }
  }

  /** The shared value for {@code key}, made by {@code value} when there is none. */
  synchronized V share(K key, Supplier<V> value) {
    forgetCollected();
    Entry<K, V> entry = values.get(key);
    V shared = entry == null ? null : entry.get();
    if (shared == null) {
      shared = value.get();
      values.put(key, new Entry<>(key, shared, collected));
    }
    return shared;
  }

  /** Distinct values held now, for tests. */
  synchronized int size() {
    forgetCollected();
    return values.size();
  }

  @SuppressWarnings("unchecked")
  private void forgetCollected() {
    for (var gone = collected.poll(); gone != null; gone = collected.poll()) {
      Entry<K, V> entry = (Entry<K, V>) gone;
      values.remove(entry.key, entry);
    }
  }
}
