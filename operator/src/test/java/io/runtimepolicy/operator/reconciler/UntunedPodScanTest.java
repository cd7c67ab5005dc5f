package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runtimepolicy.operator.policy.Annotations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UntunedPodScanTest {

  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

  /** Pages of one untuned pod of {@code app} naming {@code default}; counts its calls. */
  static class Lister implements UntunedPodScan.Pages {
    private final AtomicInteger calls = new AtomicInteger();
    volatile CountDownLatch listing = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);
    volatile RuntimeException failure;

    /** A lister whose LIST signals {@code listing} and then waits for {@code release}. */
    static Lister heldUntilReleased() {
      Lister held = new Lister();
      held.listing = new CountDownLatch(1);
      held.release = new CountDownLatch(1);
      return held;
    }

    @Override
    public PodList list(String namespace, String next) {
      calls.incrementAndGet();
      listing.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw failure;
      }
      return new PodListBuilder().withItems(pod(namespace)).build();
    }

    int calls() {
      return calls.get();
    }
  }

  static Clock clockAt(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void aNamespaceIsListedOncePerInterval() {
    Lister pods = new Lister();
    MutableClock clock = new MutableClock(T0);
    UntunedPodScan scan = new UntunedPodScan(pods, clock, INTERVAL);

    assertThat(scan.of("shop", "default")).hasSize(1);
    clock.now = T0.plus(INTERVAL).minusMillis(1);
    assertThat(scan.of("shop", "default")).hasSize(1);
    assertThat(pods.calls()).isEqualTo(1);
    clock.now = T0.plus(INTERVAL);
    scan.of("shop", "default");

    assertThat(pods.calls()).isEqualTo(2);
  }

  @Test
  void theListRunsOutsideTheMapSoForgettingTheNamespaceNeverWaitsForIt() throws Exception {
    Lister pods = Lister.heldUntilReleased();
    UntunedPodScan scan = new UntunedPodScan(pods, clockAt(T0), INTERVAL);
    CompletableFuture<Map<?, ?>> first = CompletableFuture.supplyAsync(() -> scan.of("shop", "a"));
    assertThat(pods.listing.await(10, TimeUnit.SECONDS)).isTrue();

    // Under compute() this would block on the entry until the list came back (30 s here).
    CompletableFuture.runAsync(() -> scan.namespaceEmpty("shop")).get(5, TimeUnit.SECONDS);
    assertThat(scan.size()).isZero();
    pods.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(scan.size()).as("a forgotten scan is not put back").isZero();
  }

  @Test
  void aReconcileThatFindsAScanUnderWayWaitsForItsResultInsteadOfListingAgain() throws Exception {
    Lister pods = Lister.heldUntilReleased();
    UntunedPodScan scan = new UntunedPodScan(pods, clockAt(T0), INTERVAL);
    CompletableFuture<Map<?, ?>> first =
        CompletableFuture.supplyAsync(() -> scan.of("shop", "default"));
    assertThat(pods.listing.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Map<?, ?>> second =
        CompletableFuture.supplyAsync(() -> scan.of("shop", "default"));

    pods.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
    assertThat(second.get(10, TimeUnit.SECONDS)).hasSize(1);
    assertThat(pods.calls()).isEqualTo(1);
  }

  @Test
  void aRefusedListKeepsTheLastCountsUntilTheNextInterval() {
    Lister pods = new Lister();
    MutableClock clock = new MutableClock(T0);
    UntunedPodScan scan = new UntunedPodScan(pods, clock, INTERVAL);
    scan.of("shop", "default");
    pods.failure = new KubernetesClientException("forbidden", 403, null);
    clock.now = T0.plus(INTERVAL);

    assertThat(scan.of("shop", "default")).hasSize(1);
    assertThat(scan.of("shop", "default")).hasSize(1);
    assertThat(pods.calls()).isEqualTo(2);
  }

  @Test
  void anotherFailureIsNotKeptSoTheNextReconcileListsAgain() {
    Lister pods = new Lister();
    pods.failure = new IllegalStateException("connection reset");
    UntunedPodScan scan = new UntunedPodScan(pods, clockAt(T0), INTERVAL);

    assertThatThrownBy(() -> scan.of("shop", "default")).hasMessage("connection reset");
    assertThat(scan.size()).isZero();
    pods.failure = null;

    assertThat(scan.of("shop", "default")).hasSize(1);
  }

  private static Pod pod(String namespace) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("app-1")
        .withNamespace(namespace)
        .withUid("uid-1")
        .withAnnotations(Map.of(Annotations.JAVA_TUNING, "enabled"))
        .addNewOwnerReference()
        .withKind("ReplicaSet")
        .withName("app-5d8f")
        .withApiVersion("apps/v1")
        .withUid("rs-uid")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withContainers(List.of())
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
