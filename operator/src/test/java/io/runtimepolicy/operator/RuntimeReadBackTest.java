package io.runtimepolicy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.api.v1alpha1.CustomEnvSpec;
import io.runtimepolicy.api.v1alpha1.CustomRuntimeSpec;
import io.runtimepolicy.api.v1alpha1.CustomValue;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.ContainerEvaluation;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.WorkloadEvaluator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the engine sets for the runtimes beyond Java and Go, read back by the real runtimes on this
 * machine: each process gets only the env the engine produced, and the assertions are on what the
 * runtime itself reports. The limits are chosen below this machine's core count and memory, so a
 * runtime that ignored the env would report something else.
 */
class RuntimeReadBackTest {

  private static final long MIB = 1L << 20;

  @Test
  void nodeSizesItsHeapFromTheTunedNodeOptions() {
    ContainerEvaluation app = tune("node", "500m", "1Gi");
    String options = app.desired().get("NODE_OPTIONS");
    assertThat(options).isEqualTo("--max-old-space-size=768");

    Map<String, String> seen =
        RealRuntimes.run(
            List.of(
                "node",
                "-e",
                "console.log('limit=' + require('v8').getHeapStatistics().heap_size_limit)"),
            Map.of("NODE_OPTIONS", options));
    long limitMib = Long.parseLong(seen.get("limit")) / MIB;
    Map<String, String> untuned =
        RealRuntimes.run(
            List.of(
                "node",
                "-e",
                "console.log('limit=' + require('v8').getHeapStatistics().heap_size_limit)"),
            Map.of());

    // V8 adds its young generation (tens of MiB) to the old space it was given.
    assertThat(limitMib).isBetween(768L, 768L + 64);
    assertThat(Long.parseLong(untuned.get("limit")) / MIB)
        .as("untuned, V8 picks its own size")
        .isGreaterThan(768L + 64);
  }

  @Test
  void numpysBundledOpenBlasStartsTheTunedThreadCount() {
    ContainerEvaluation app = tune("python,openmp", "500m", null);
    assertThat(app.desired()).containsEntry("OPENBLAS_NUM_THREADS", "1");
    Path python = numpyVenv().resolve("bin/python");
    String probe =
        "import numpy, threadpoolctl\n"
            + "for pool in threadpoolctl.threadpool_info():\n"
            + "    print(pool['internal_api'] + '=' + str(pool['num_threads']))\n";

    Map<String, String> seen =
        RealRuntimes.run(List.of(python.toString(), "-c", probe), app.desired());

    assertThat(seen).containsEntry("openblas", "1");
    assertThat(RealRuntimes.run(List.of(python.toString(), "-c", probe), Map.of()).get("openblas"))
        .as("untuned, OpenBLAS starts one thread per host core")
        .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void cpythonReadsThePythonCpuCount() {
    ContainerEvaluation app = tune("python", "500m", null);
    assertThat(app.desired()).containsExactly(Map.entry("PYTHON_CPU_COUNT", "1"));
    String probe =
        "import os\nprint('count=' + str(os.cpu_count()))\n"
            + "print('env=' + os.environ.get('PYTHON_CPU_COUNT', ''))\n";

    // The variable reaches the process whatever the version; 3.13 and later also obey it.
    assertThat(RealRuntimes.run(List.of("python3", "-c", probe), app.desired()))
        .containsEntry("env", "1");
    Path python313 = python313();
    if (python313 != null) {
      assertThat(RealRuntimes.run(List.of(python313.toString(), "-c", probe), app.desired()))
          .containsEntry("count", "1");
    }
  }

  @Test
  void aCustomRuntimesVariableSizesARealTokioRuntime() {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setCustom(
        List.of(
            new CustomRuntimeSpec(
                "tokio",
                null,
                List.of(new CustomEnvSpec("TOKIO_WORKER_THREADS", CustomValue.Processors, null)))));
    ContainerEvaluation app = tune(PolicySettings.from(spec), "tokio", "1", null);
    assertThat(app.desired()).containsExactly(Map.entry("TOKIO_WORKER_THREADS", "1"));
    String probe = tokioProbe().toString();

    assertThat(RealRuntimes.run(List.of(probe), app.desired())).containsEntry("workers", "1");
    assertThat(RealRuntimes.run(List.of(probe), Map.of()).get("workers"))
        .as("untuned, tokio starts one worker per core it sees")
        .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

  private static ContainerEvaluation tune(String runtimes, String cpuLimit, String memoryLimit) {
    return tune(PolicySettings.defaults(), runtimes, cpuLimit, memoryLimit);
  }

  private static ContainerEvaluation tune(
      PolicySettings settings, String runtimes, String cpuLimit, String memoryLimit) {
    Map<String, String> annotations = new HashMap<>();
    for (String runtime : runtimes.split(",")) {
      annotations.put("runtimepolicy.io/" + runtime + "-tuning", "enabled");
    }
    ContainerBuilder app = new ContainerBuilder().withName("app").withImage("app");
    var resources = app.withNewResources().addToLimits("cpu", new Quantity(cpuLimit));
    if (memoryLimit != null) {
      resources.addToLimits("memory", new Quantity(memoryLimit));
    }
    Container container = resources.endResources().build();
    return WorkloadEvaluator.evaluate(
            settings, annotations, new PodSpecBuilder().addToContainers(container).build())
        .containers()
        .get(0);
  }

  /**
   * numpy and threadpoolctl, pinned, in a venv under target (PyPI is one of this project's
   * registries); made once, reused by later runs.
   */
  private static synchronized Path numpyVenv() {
    Path venv = Path.of("target/readback-venv").toAbsolutePath();
    if (Files.isExecutable(venv.resolve("bin/python")) && Files.exists(venv.resolve("installed"))) {
      return venv;
    }
    exec(List.of("python3", "-m", "venv", "--clear", venv.toString()));
    exec(
        List.of(
            venv.resolve("bin/pip").toString(),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "numpy==2.4.6",
            "threadpoolctl==3.8.0"));
    try {
      Files.writeString(venv.resolve("installed"), "numpy==2.4.6 threadpoolctl==3.8.0\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return venv;
  }

  /**
   * A tiny tokio program (pinned by its Cargo.lock, from crates.io, one of this project's
   * registries), built once under target with the machine's Rust toolchain.
   */
  private static synchronized Path tokioProbe() {
    Path dir = Path.of("target/tokio-probe").toAbsolutePath();
    Path binary = dir.resolve("target/release/tokio-probe");
    if (Files.isExecutable(binary)) {
      return binary;
    }
    try {
      Files.createDirectories(dir.resolve("src"));
      copy("Cargo.toml.txt", dir.resolve("Cargo.toml"));
      copy("Cargo.lock.txt", dir.resolve("Cargo.lock"));
      copy("main.rs.txt", dir.resolve("src/main.rs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // rustup installs cargo under ~/.cargo/bin, which a non-login shell may not have on its PATH.
    Path rustup = Path.of(System.getProperty("user.home"), ".cargo/bin/cargo");
    exec(
        List.of(
            Files.isExecutable(rustup) ? rustup.toString() : "cargo",
            "build",
            "--quiet",
            "--release",
            "--locked",
            "--manifest-path",
            dir.resolve("Cargo.toml").toString()));
    return binary;
  }

  private static void copy(String resource, Path to) throws IOException {
    try (var in = RuntimeReadBackTest.class.getResourceAsStream("/tokio-probe/" + resource)) {
      Files.write(to, in.readAllBytes());
    }
  }

  /** CPython 3.13 or later where pyenv has one; null when the machine has none. */
  private static Path python313() {
    Path versions = Path.of(System.getProperty("user.home"), ".pyenv/versions");
    if (!Files.isDirectory(versions)) {
      return null;
    }
    try (Stream<Path> installed = Files.list(versions)) {
      return installed
          .filter(v -> v.getFileName().toString().matches("3\\.(1[3-9]|[2-9][0-9])\\..*"))
          .map(v -> v.resolve("bin/python3"))
          .filter(Files::isExecutable)
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void exec(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError(command + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
