package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The webhook's policies while the operator starts: the early informer's until the controller's
 * cache has listed, then the controller's alone, and the early one is stopped.
 */
class PolicyCacheTest {

  private final FakeEarly early = new FakeEarly();
  private final FakeControllerCache controller = new FakeControllerCache();
  private final AtomicBoolean controllerSynced = new AtomicBoolean();
  private final PolicyCache cache = new PolicyCache();

  /** As OperatorMain wires it: the early informer, and the controller's cache not listed yet. */
  private void starting() {
    cache.useEarly(early, controllerSynced::get);
    cache.use(controller);
  }

  @Test
  void notReadyUntilTheEarlyInformerHasListed() {
    starting();
    assertThat(cache.isReady()).isFalse();
    early.synced = true;
    assertThat(cache.isReady()).isTrue();
  }

  @Test
  void answersFromTheEarlyInformerUntilTheControllerCacheHasListed() {
    starting();
    early.synced = true;
    early.policies.put("team/a", policy("team", "a", "1"));
    controller.policies.put(new ResourceID("a", "team"), policy("team", "a", "2"));

    assertThat(cache.get("team", "a")).map(version()).contains("1");
    assertThat(early.closed).isFalse();

    controllerSynced.set(true);
    assertThat(cache.get("team", "a")).map(version()).contains("2");
    await().atMost(Duration.ofSeconds(10)).untilTrue(early.closedFlag);
    // Stays on the controller's cache although the early one has nothing any more.
    early.policies.clear();
    controllerSynced.set(false);
    assertThat(cache.get("team", "a")).map(version()).contains("2");
    assertThat(cache.isReady()).isTrue();
  }

  @Test
  void aPolicyOnlyTheEarlyInformerStillHoldsIsGoneOnceHandedOver() {
    starting();
    early.synced = true;
    early.policies.put("team/gone", policy("team", "gone", "1"));
    controllerSynced.set(true);
    assertThat(cache.get("team", "gone")).isEmpty();
  }

  @Test
  void anEarlyInformerThatStoppedIsReportedUntilHandedOver() {
    starting();
    early.running = false;
    assertThat(cache.earlyRunning()).isFalse();
    controllerSynced.set(true);
    assertThat(cache.isReady()).isTrue();
    assertThat(cache.earlyRunning()).isTrue();
  }

  @Test
  void withoutAnEarlyInformerTheControllerCacheAnswersAsSoonAsItIsGiven() {
    assertThat(cache.isReady()).isFalse();
    cache.use(controller);
    assertThat(cache.isReady()).isTrue();
  }

  @Test
  void closeStopsTheEarlyInformer() {
    cache.useEarly(early, controllerSynced::get);
    cache.close();
    assertThat(early.closed).isTrue();
  }

  private static java.util.function.Function<RuntimePolicy, String> version() {
    return p -> p.getMetadata().getResourceVersion();
  }

  private static RuntimePolicy policy(String namespace, String name, String resourceVersion) {
    RuntimePolicy policy = new RuntimePolicy();
    policy.getMetadata().setNamespace(namespace);
    policy.getMetadata().setName(name);
    policy.getMetadata().setResourceVersion(resourceVersion);
    return policy;
  }

  private static final class FakeEarly implements PolicyCache.Early {
    volatile boolean synced;
    volatile boolean running = true;
    volatile boolean closed;
    final AtomicBoolean closedFlag = new AtomicBoolean();
    final Map<String, RuntimePolicy> policies = new HashMap<>();

    @Override
    public boolean synced() {
      return synced;
    }

    @Override
    public boolean running() {
      return running;
    }

    @Override
    public Optional<RuntimePolicy> get(String namespace, String name) {
      return Optional.ofNullable(policies.get(namespace + "/" + name));
    }

    @Override
    public void close() {
      closed = true;
      closedFlag.set(true);
    }
  }

  private static final class FakeControllerCache implements IndexedResourceCache<RuntimePolicy> {
    final Map<ResourceID, RuntimePolicy> policies = new HashMap<>();

    @Override
    public Optional<RuntimePolicy> get(ResourceID id) {
      return Optional.ofNullable(policies.get(id));
    }

    @Override
    public Stream<ResourceID> keys() {
      return policies.keySet().stream();
    }

    @Override
    public Stream<RuntimePolicy> list(Predicate<RuntimePolicy> predicate) {
      return policies.values().stream().filter(predicate);
    }

    @Override
    public Stream<RuntimePolicy> list(String namespace, Predicate<RuntimePolicy> predicate) {
      return list(predicate.and(p -> namespace.equals(p.getMetadata().getNamespace())));
    }

    @Override
    public List<RuntimePolicy> byIndex(String indexName, String indexKey) {
      return List.of();
    }
  }
}
