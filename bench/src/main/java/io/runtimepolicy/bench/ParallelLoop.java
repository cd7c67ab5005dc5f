package io.runtimepolicy.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** A closed-loop client: {@code threads} workers take items 0..n-1 in turn, as fast as answered. */
final class ParallelLoop {

  /** When the loop started and how long it took, in System.nanoTime terms. */
  record Timing(long startNanos, long endNanos) {
    Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }
  }

  private ParallelLoop() {}

  static Timing run(int n, int threads, IntConsumer item) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    try {
      List<Future<?>> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    item.accept(i);
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      return new Timing(start, System.nanoTime());
    } catch (ExecutionException e) {
      throw new IllegalStateException("a loop item failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
