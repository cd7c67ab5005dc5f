package io.runtimepolicy.operator.webhook;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of threads with a bounded queue for the policy evaluation. When both are full,
 * {@link #execute} throws {@link java.util.concurrent.RejectedExecutionException}, and the request
 * is answered 503 at once instead of waiting past the API server's timeout.
 */
final class WorkerPool implements Executor {
  static final int QUEUE_PER_WORKER = 64;

  private final ThreadPoolExecutor executor;

  WorkerPool(int threads) {
    AtomicInteger number = new AtomicInteger();
    ThreadFactory factory =
        task -> {
          Thread thread = new Thread(task, "webhook-worker-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_WORKER),
            factory,
            new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  void shutdown() {
    executor.shutdownNow();
  }
}
