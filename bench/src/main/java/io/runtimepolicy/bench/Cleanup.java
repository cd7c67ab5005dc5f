package io.runtimepolicy.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything the benchmark starts (API server, operator processes, the trivial webhook) is
 * registered here and stopped newest first, once: at the end of the run, on failure, and from a
 * shutdown hook when the run is interrupted (Ctrl-C, SIGTERM).
 */
final class Cleanup implements AutoCloseable {

  /** Something to stop; unlike AutoCloseable, declares no checked exception. */
  interface Step {
    void run() throws Exception;
  }

  private final Deque<Named> steps = new ArrayDeque<>();
  private final Thread hook = new Thread(this::close, "bench-cleanup");

  private record Named(String name, Step step) {}

  Cleanup() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  synchronized void add(String name, Step step) {
    steps.push(new Named(name, step));
  }

  /** Runs and forgets one step early (an operator process stopped between phases). */
  synchronized void runNow(String name) {
    for (Named named : steps) {
      if (named.name().equals(name)) {
        steps.remove(named);
        stop(named);
        return;
      }
    }
  }

  @Override
  public synchronized void close() {
    while (!steps.isEmpty()) {
      stop(steps.pop());
    }
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: nothing left to remove
      }
    }
  }

  private static void stop(Named named) {
    try {
      named.step().run();
    } catch (Exception e) {
      System.err.println("bench: stopping " + named.name() + " failed: " + e);
    }
  }
}
