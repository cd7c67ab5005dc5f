package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A small Go program over a GitOps tool's own library, kept as {@code /NAME/{main.go,go.mod,
 * go.sum}.txt} in the test resources (so Maven and the IDE leave them alone), built once per test
 * JVM with the machine's Go, offline from the module cache ({@code GOPROXY=off}). A machine without
 * those modules: {@code make gitops-modules} fetches them once through the Go proxy, and builds
 * each program once so that the tests find the build cache warm.
 */
final class GoProgram {

  /** What one run printed on stdout, then on stderr, and its exit code. */
  record Run(int exitCode, String stdout, String stderr) {

    /** Both, for messages. */
    String output() {
      return stdout + stderr;
    }
  }

  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

  private final Path binary;

  private GoProgram(Path binary) {
    this.binary = binary;
  }

  /** The program of resource directory {@code name}, built on first use. */
  static GoProgram of(String name) throws IOException {
    Path binary = BUILT.get(name);
    if (binary == null) {
      synchronized (BUILT) {
        binary = BUILT.computeIfAbsent(name, GoProgram::buildUnchecked);
      }
    }
    return new GoProgram(binary);
  }

  /** Runs the program with {@code args}; it must end within a minute. */
  Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(binary.getFileName().toString(), ".stderr");
    try {
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new Run(process.exitValue(), out, Files.readString(stderr));
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private static Path buildUnchecked(String name) {
    try {
      return build(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path build(String name) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(name);
    for (String file : List.of("main.go", "go.mod", "go.sum")) {
      try (InputStream in = GoProgram.class.getResourceAsStream("/" + name + "/" + file + ".txt")) {
        Files.write(dir.resolve(file), in.readAllBytes());
      }
    }
    ProcessBuilder build =
        new ProcessBuilder("go", "build", "-o", name, ".").directory(dir.toFile());
    build.environment().put("GOFLAGS", "-mod=mod");
    build.environment().put("GOTOOLCHAIN", "local");
    build.environment().put("GOPROXY", "off");
    build.environment().put("PATH", System.getenv("PATH") + ":/usr/local/go/bin");
    build.redirectErrorStream(true);
    Process process = build.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(
          "go build of " + name + " failed (run `make gitops-modules` once): " + output);
    }
    return dir.resolve(name);
  }
}
