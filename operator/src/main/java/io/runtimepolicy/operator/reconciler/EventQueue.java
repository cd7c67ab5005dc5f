package io.runtimepolicy.operator.reconciler;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands Events to one background thread, in the order they were recorded, and writes each once no
 * Deployment write is pending (or it has waited {@code maxDelay}). A reconcile that tunes a
 * thousand Deployments would otherwise wait for a thousand Event writes, and Events written
 * alongside the patches take the API server's time from the flags the user is waiting for. Events
 * are best effort in Kubernetes (client-go's recorder drops them too): when the queue is full, new
 * ones are dropped, counted, and logged once per burst.
 */
final class EventQueue<T> implements AutoCloseable {

  static final int DEFAULT_CAPACITY = 10_000;
  static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final Logger log = LoggerFactory.getLogger(EventQueue.class);

  private record Entry<T>(T event, long addedNanos) {}

  private final BlockingQueue<Entry<T>> pending;
  private final long maxDelayNanos;
  private final BooleanSupplier writesPending;
  private final Consumer<T> writer;
  private final Runnable onDrop;
  private final AtomicLong droppedInBurst = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /** {@code writer} logs its own failures; anything it throws is logged here and skipped. */
  EventQueue(
      int capacity,
      Duration maxDelay,
      BooleanSupplier writesPending,
      Consumer<T> writer,
      Runnable onDrop) {
    this.pending = new ArrayBlockingQueue<>(capacity);
    this.maxDelayNanos = maxDelay.toNanos();
    this.writesPending = writesPending;
    this.writer = writer;
    this.onDrop = onDrop;
    this.thread = new Thread(this::drain, "event-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Never blocks: the caller is a reconcile. */
  void add(T event) {
    if (closed) {
      return;
    }
    if (!pending.offer(new Entry<>(event, System.nanoTime()))) {
      onDrop.run();
      if (droppedInBurst.getAndIncrement() == 0) {
        log.warn(
            "Event queue full ({} pending): dropping new Events until it drains", pending.size());
      }
    }
  }

  int pending() {
    return pending.size();
  }

  /** Stops taking Events and writes what is pending, for at most {@code flush}. */
  void close(Duration flush) {
    closed = true;
    try {
      thread.join(flush.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      log.warn("{} Events not written at shutdown", pending.size());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  private void drain() {
    while (!closed || !pending.isEmpty()) {
      Entry<T> entry;
      try {
        entry = pending.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (entry != null) {
        waitForDeploymentWrites(entry.addedNanos());
        write(entry.event());
      }
      if (pending.isEmpty()) {
        long dropped = droppedInBurst.getAndSet(0);
        if (dropped > 0) {
          log.warn("Event queue drained: {} Events were dropped while it was full", dropped);
        }
      }
    }
  }

  private void waitForDeploymentWrites(long addedNanos) {
    while (!closed
        && writesPending.getAsBoolean()
        && System.nanoTime() - addedNanos < maxDelayNanos) {
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private void write(T event) {
    try {
      writer.accept(event);
    } catch (RuntimeException e) {
      log.warn("Could not write an Event: {}", e.toString());
    }
  }
}
