package io.runtimepolicy.operator.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl of the pinned control plane, pointed at a kubeconfig of the test's own. */
final class Kubectl {
  record Result(int exitCode, String stdout, String stderr, Duration took) {}

  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDir;

  Kubectl(Path workDir, String kubeconfigYaml) throws IOException {
    String dir =
        System.getProperty("kube.api.test.dir", System.getProperty("user.home") + "/.kubeapitest");
    String version = System.getProperty("kube.version", "1.35.4");
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
    this.binary = Path.of(dir, "k8s", version + "-linux-" + arch, "kubectl");
    this.kubeconfig = Files.writeString(workDir.resolve("kubeconfig"), kubeconfigYaml);
    this.cacheDir = Files.createDirectories(workDir.resolve("kube-cache"));
  }

  Result apply(Path manifest) throws IOException, InterruptedException {
    return run("apply", "-f", manifest.toString());
  }

  Result run(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                cacheDir.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(cacheDir, "out", ".txt");
    Path err = Files.createTempFile(cacheDir, "err", ".txt");
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("kubectl did not finish within 60 s: " + command);
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
