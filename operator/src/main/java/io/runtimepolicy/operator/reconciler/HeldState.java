package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator keeps in memory per policy, namespace or workload besides the informer caches,
 * and the one place that forgets it when that goes away: a policy deleted (its delete event reaches
 * the reconciler), a namespace left without policies (its last policy's delete), a workload deleted
 * (its informer's delete, seen by the workload mapper). Every class that keeps such entries is a
 * {@link Holder} registered here; a test fails for a class that keeps a map or set without being
 * one. Each holder's size is the gauge {@code runtimepolicy.held.entries}.
 */
final class HeldState {

  /** Keeps entries per policy, namespace or workload, and drops them when told it went away. */
  interface Holder {

    /** Entries held now, for the gauge: the count that must come back down. */
    int size();

    default void policyGone(ResourceID policy) {}

    default void namespaceEmpty(String namespace) {}

    default void workloadGone(Workload workload) {}
  }

  /** A workload that was deleted: its kind ({@code Deployment}), identity and uid. */
  record Workload(String kind, String namespace, String name, String uid) {}

  private final Map<String, Holder> holders = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  HeldState(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers {@code holder} as {@code name}, replacing one of that name; returns it. */
  <H extends Holder> H register(String name, H holder) {
    if (holders.put(name, holder) == null) {
      Gauge.builder("runtimepolicy.held.entries", this, h -> h.size(name))
          .tag("holder", name)
          .description("Entries the operator holds per policy, namespace or workload")
          .register(registry);
    }
    return holder;
  }

  /** {@code policy} was deleted; {@code lastInNamespace}: its namespace has no policy left. */
  void policyGone(ResourceID policy, boolean lastInNamespace) {
    holders.values().forEach(h -> h.policyGone(policy));
    if (lastInNamespace) {
      policy.getNamespace().ifPresent(ns -> holders.values().forEach(h -> h.namespaceEmpty(ns)));
    }
  }

  void workloadGone(Workload workload) {
    holders.values().forEach(h -> h.workloadGone(workload));
  }

  /** How holders that name a policy by a string name it: {@code namespace/name}. */
  static String key(ResourceID policy) {
    return policy.getNamespace().orElse("") + "/" + policy.getName();
  }

  /** Each holder's size, by name. */
  Map<String, Integer> sizes() {
    Map<String, Integer> sizes = new TreeMap<>();
    holders.forEach((name, holder) -> sizes.put(name, holder.size()));
    return sizes;
  }

  private double size(String name) {
    Holder holder = holders.get(name);
    return holder == null ? 0 : holder.size();
  }
}
