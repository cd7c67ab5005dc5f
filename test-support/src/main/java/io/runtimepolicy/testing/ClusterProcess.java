package io.runtimepolicy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One control-plane binary run as a child process, its stdout and stderr in one log file so a
 * failed test can be diagnosed after the fact.
 */
final class ClusterProcess {

  private static final long STOP_GRACE_SECONDS = 10;

  private final String name;
  private final Path log;
  private final Process process;

  private ClusterProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static ClusterProcess start(String name, Path binary, List<String> flags, Path logDir) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(flags);
    Path log = logDir.resolve(name + ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      return new ClusterProcess(name, log, process);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + String.join(" ", command), e);
    }
  }

  /** Fails with the log's location when the process has already exited. */
  void assertAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; its output is in " + log);
    }
  }

  /** SIGTERM, then SIGKILL after a grace period; returns only once the process is gone. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      process.onExit().join();
    }
  }

  String name() {
    return name;
  }
}
