package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  private final List<Integer> written = new CopyOnWriteArrayList<>();
  private final AtomicInteger dropped = new AtomicInteger();

  @Test
  void writesEveryEventInTheOrderItWasAdded() {
    try (EventQueue<Integer> queue = queue(100, written::add, () -> dropped.incrementAndGet())) {
      for (int i = 0; i < 50; i++) {
        queue.add(i);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 50);
    }
    assertThat(written).isSorted().hasSize(50);
    assertThat(dropped).hasValue(0);
  }

  @Test
  void addNeverWaitsForTheWriterAndDropsWhatDoesNotFit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    try (EventQueue<Integer> queue =
        queue(
            3,
            e -> {
              writing.countDown();
              hold(release);
              written.add(e);
            },
            () -> dropped.incrementAndGet())) {
      queue.add(0);
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 5; i++) {
        queue.add(i);
      }
      assertThat(queue.pending()).isEqualTo(3);
      assertThat(dropped).hasValue(2);
      release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 4);
    }
    assertThat(written).containsExactly(0, 1, 2, 3);
  }

  @Test
  void closeWritesWhatIsPendingAndThenTakesNoMore() {
    CountDownLatch release = new CountDownLatch(1);
    EventQueue<Integer> queue =
        queue(
            10,
            e -> {
              hold(release);
              written.add(e);
            },
            () -> dropped.incrementAndGet());
    queue.add(1);
    queue.add(2);
    release.countDown();
    queue.close(Duration.ofSeconds(5));
    queue.add(3);

    assertThat(written).containsExactly(1, 2);
    assertThat(queue.pending()).isZero();
  }

  @Test
  void closeGivesUpAfterItsDeadlineWhenTheWriterHangs() {
    CountDownLatch never = new CountDownLatch(1);
    EventQueue<Integer> queue = queue(10, e -> hold(never), () -> dropped.incrementAndGet());
    queue.add(1);
    queue.add(2);

    long start = System.nanoTime();
    queue.close(Duration.ofMillis(300));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aWriterThatThrowsDoesNotStopTheQueue() {
    try (EventQueue<Integer> queue =
        queue(
            10,
            e -> {
              if (e == 1) {
                throw new IllegalStateException("client closed");
              }
              written.add(e);
            },
            () -> dropped.incrementAndGet())) {
      queue.add(1);
      queue.add(2);
      await().atMost(Duration.ofSeconds(5)).until(() -> written.contains(2));
    }
  }

  @Test
  void eventsWaitWhileDeploymentWritesArePending() {
    AtomicBoolean writing = new AtomicBoolean(true);
    try (EventQueue<Integer> queue =
        new EventQueue<>(
            10,
            Duration.ofMinutes(1),
            writing::get,
            written::add,
            () -> dropped.incrementAndGet())) {
      queue.add(1);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(written::isEmpty);
      writing.set(false);
      await().atMost(Duration.ofSeconds(5)).until(() -> written.contains(1));
    }
  }

  @Test
  void eventsWaitNoLongerThanTheMaximumDelay() {
    try (EventQueue<Integer> queue =
        new EventQueue<>(
            10,
            Duration.ofMillis(200),
            () -> true,
            written::add,
            () -> dropped.incrementAndGet())) {
      queue.add(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> written.contains(1));
    }
  }

  private EventQueue<Integer> queue(int capacity, Consumer<Integer> writer, Runnable onDrop) {
    return new EventQueue<>(capacity, Duration.ofMinutes(1), () -> false, writer, onDrop);
  }

  private static void hold(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
