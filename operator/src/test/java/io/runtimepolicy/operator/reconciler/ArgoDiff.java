package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Argo CD's own diff: {@code argodiff/main.go.txt}, a few lines over gitops-engine's {@code
 * pkg/diff} at the version Argo CD v3.3.0's go.mod requires (Argo CD builds its in-repo copy of
 * it), built once per test JVM with the machine's Go, offline from the module cache. A machine
 * without those modules: {@code make argodiff-modules} fetches them once through the Go proxy.
 */
final class ArgoDiff {

  /** {@code modified}: Argo CD would show the application OutOfSync. */
  record Result(boolean modified, String output) {}

  private static Path binary;

  private ArgoDiff() {}

  /** Diffs the desired manifest against the live object (both JSON files). */
  static Result diff(Path desired, Path live) throws Exception {
    Process process =
        new ProcessBuilder(List.of(binary().toString(), desired.toString(), live.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isIn(0, 1);
    return new Result(process.exitValue() == 1, output);
  }

  private static synchronized Path binary() throws Exception {
    if (binary != null) {
      return binary;
    }
    Path dir = Files.createTempDirectory("argodiff");
    for (String file : List.of("main.go", "go.mod", "go.sum")) {
      try (InputStream in = ArgoDiff.class.getResourceAsStream("/argodiff/" + file + ".txt")) {
        Files.write(dir.resolve(file), in.readAllBytes());
      }
    }
    ProcessBuilder build =
        new ProcessBuilder("go", "build", "-o", "argodiff", ".").directory(dir.toFile());
    build.environment().put("GOFLAGS", "-mod=mod");
    build.environment().put("GOTOOLCHAIN", "local");
    build.environment().put("GOPROXY", "off");
    build.environment().put("PATH", System.getenv("PATH") + ":/usr/local/go/bin");
    build.redirectErrorStream(true);
    Process process = build.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(
          "go build of argodiff failed (run `make argodiff-modules` once): " + output);
    }
    binary = dir.resolve("argodiff");
    return binary;
  }
}
