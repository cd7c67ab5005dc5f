package io.runtimepolicy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.JavaToolOptions;
import io.runtimepolicy.operator.policy.Quantities;
import io.runtimepolicy.operator.workload.PodOwner;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the status claims is what the runtime sees: a real JVM ({@link RuntimeReport}) and a real Go
 * program (built once from {@code runtime-probe/main.go.txt} with the machine's Go toolchain,
 * offline, standard library only) are started with exactly the env the operator left in a stored
 * workload's container, and what they report is compared with the policy's status. The JVM gets the
 * container's memory limit as {@code -XX:MaxRAM}, standing in for the cgroup it would read.
 */
public final class RealRuntimes {

  private static final long MIB = 1L << 20;
  private static Path goProbe;

  private RealRuntimes() {}

  /**
   * For every container result of {@code policy}'s status with a runtime and a computed value, runs
   * that runtime with the container's literal env from the stored workload and asserts it reports
   * the status's values. Returns how many runtimes were started, so callers can make sure the check
   * did check something.
   */
  public static int assertRuntimesSeeTheStatus(
      KubernetesClient client, String namespace, String policy) {
    RuntimePolicy stored =
        client.resources(RuntimePolicy.class).inNamespace(namespace).withName(policy).get();
    int started = 0;
    for (WorkloadResult result : stored.getStatus().getResults()) {
      WorkloadKind<?> kind =
          WorkloadKinds.all().stream()
              .filter(k -> k.kind().equals(result.getKind()))
              .findFirst()
              .orElseThrow();
      HasMetadata workload =
          client.resources(kind.type()).inNamespace(namespace).withName(result.getName()).get();
      PodTemplateSpec template = kind.podTemplateOf(workload);
      started +=
          run(
              result.getKind() + " " + result.getName(),
              template.getSpec().getContainers(),
              result);
    }
    return started;
  }

  /** Runs each runtime {@code result} claims a value for, with its container's env. */
  private static int run(String what, List<Container> containers, WorkloadResult result) {
    int started = 0;
    for (ContainerResult claimed : result.getContainers()) {
      Container container =
          containers.stream()
              .filter(c -> c.getName().equals(claimed.getName()))
              .findFirst()
              .orElseThrow();
      String which = what + " container " + claimed.getName();
      if ("Java".equals(claimed.getRuntime()) && claimed.getActiveProcessorCount() != null) {
        assertJava(which, container, claimed);
        started++;
      } else if ("Go".equals(claimed.getRuntime())
          && (claimed.getGomaxprocs() != null || claimed.getGomemlimit() != null)) {
        assertGo(which, container, claimed);
        started++;
      }
    }
    return started;
  }

  /**
   * Inject mode: for every result of {@code policy}'s status that counts pods, runs each runtime
   * with the literal env of one of that owner's injected pods and asserts it reports the status's
   * values. Returns how many runtimes were started.
   */
  public static int assertRuntimesSeeTheInjectedPods(
      KubernetesClient client, String namespace, String policy) {
    RuntimePolicy stored =
        client.resources(RuntimePolicy.class).inNamespace(namespace).withName(policy).get();
    List<Pod> injected =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(Annotations.INJECTED_LABEL)
            .list()
            .getItems();
    int started = 0;
    for (WorkloadResult result : stored.getStatus().getResults()) {
      if (result.getPods() == null || result.getPods().getCurrent() == 0) {
        continue;
      }
      Pod pod =
          injected.stream()
              .filter(
                  p ->
                      PodOwner.of(p).kind().equals(result.getKind())
                          && PodOwner.of(p).name().equals(result.getName()))
              .findFirst()
              .orElseThrow();
      started += run("pod " + pod.getMetadata().getName(), pod.getSpec().getContainers(), result);
    }
    return started;
  }

  static void assertJava(String what, Container container, ContainerResult claimed) {
    Map<String, String> env = literalEnv(container);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    BigDecimal memoryLimit = memoryLimit(container);
    if (memoryLimit != null) {
      command.add("-XX:MaxRAM=" + memoryLimit.toBigInteger());
    }
    command.addAll(List.of("-cp", Path.of(codeSource()).toString(), RuntimeReport.class.getName()));
    Map<String, String> reported = run(command, env);
    assertThat(reported.get("availableProcessors"))
        .as("availableProcessors() of %s with %s", what, env)
        .isEqualTo(Integer.toString(claimed.getActiveProcessorCount()));
    String options = env.getOrDefault("JAVA_TOOL_OPTIONS", "");
    String percentage =
        JavaToolOptions.managedFlags(options).get(JavaToolOptions.MAX_RAM_PERCENTAGE);
    if (percentage != null && memoryLimit != null) {
      long heap = memoryLimit.multiply(new BigDecimal(percentage)).movePointLeft(2).longValue();
      long maxHeap = Long.parseLong(reported.get("MaxHeapSize"));
      long maxMemory = Long.parseLong(reported.get("maxMemory"));
      // The JVM aligns the heap to its region or page size; Serial GC's maxMemory() leaves out
      // one survivor space.
      assertThat(Math.abs(maxHeap - heap)).as("MaxHeapSize of %s", what).isLessThan(4 * MIB);
      assertThat(maxMemory).as("maxMemory() of %s", what).isBetween(heap * 9 / 10, heap + 4 * MIB);
    }
  }

  static void assertGo(String what, Container container, ContainerResult claimed) {
    Map<String, String> env = literalEnv(container);
    Map<String, String> reported = run(List.of(goProbe().toString()), env);
    if (claimed.getGomaxprocs() != null) {
      assertThat(reported.get("gomaxprocs"))
          .as("runtime.GOMAXPROCS(0) of %s with %s", what, env)
          .isEqualTo(Integer.toString(claimed.getGomaxprocs()));
    }
    if (claimed.getGomemlimit() != null) {
      assertThat(reported.get("gomemlimit"))
          .as("debug.SetMemoryLimit(-1) of %s with %s", what, env)
          .isEqualTo(Long.toString(goBytes(claimed.getGomemlimit())));
    } else if (!env.containsKey("GOMEMLIMIT")) {
      assertThat(reported.get("gomemlimit")).isEqualTo(Long.toString(Long.MAX_VALUE));
    }
  }

  /** Go's GOMEMLIMIT syntax as the operator writes it: whole MiB, or bare bytes. */
  static long goBytes(String gomemlimit) {
    return gomemlimit.endsWith("MiB")
        ? Long.parseLong(gomemlimit.substring(0, gomemlimit.length() - 3)) * MIB
        : Long.parseLong(gomemlimit);
  }

  /** The container's env as its process would get it: literal values, the last entry wins. */
  private static Map<String, String> literalEnv(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnv() != null) {
      for (EnvVar var : container.getEnv()) {
        if (var.getValueFrom() == null) {
          env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
        }
      }
    }
    return env;
  }

  private static BigDecimal memoryLimit(Container container) {
    Map<String, Quantity> limits =
        container.getResources() == null ? null : container.getResources().getLimits();
    Quantity memory = limits == null ? null : limits.get("memory");
    return memory == null ? null : Quantities.parse(Quantities.text(memory));
  }

  private static String codeSource() {
    try {
      return Path.of(
              RuntimeReport.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs with only {@code env} (plus PATH and HOME), so the test's own env cannot leak in. */
  static Map<String, String> run(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    Map<String, String> processEnv = builder.environment();
    Map<String, String> keep = new HashMap<>();
    for (String name : List.of("PATH", "HOME")) {
      if (processEnv.containsKey(name)) {
        keep.put(name, processEnv.get(name));
      }
    }
    processEnv.clear();
    processEnv.putAll(keep);
    processEnv.putAll(env);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(command + " with " + env + " failed: " + err);
      }
      Map<String, String> reported = new HashMap<>();
      for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          reported.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
      }
      return reported;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Go probe, built once per test JVM: offline, no module downloads, the local toolchain. */
  static synchronized Path goProbe() {
    if (goProbe != null) {
      return goProbe;
    }
    try {
      Path dir = Files.createTempDirectory("runtime-probe");
      try (InputStream source =
          RealRuntimes.class.getResourceAsStream("/runtime-probe/main.go.txt")) {
        Files.write(dir.resolve("main.go"), source.readAllBytes());
      }
      Files.writeString(dir.resolve("go.mod"), "module probe\n\ngo 1.21\n");
      ProcessBuilder build =
          new ProcessBuilder(go(), "build", "-o", "probe", ".").directory(dir.toFile());
      build.environment().put("GOFLAGS", "-mod=mod");
      build.environment().put("GOTOOLCHAIN", "local");
      build.environment().put("GOPROXY", "off");
      build.redirectErrorStream(true);
      Process process = build.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError("go build of the runtime probe failed: " + output);
      }
      goProbe = dir.resolve("probe");
      return goProbe;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code go} on the PATH, else the standard install location. */
  private static String go() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "go"))) {
        return Path.of(dir, "go").toString();
      }
    }
    Path standard = Path.of("/usr/local/go/bin/go");
    if (Files.isExecutable(standard)) {
      return standard.toString();
    }
    throw new AssertionError("no go toolchain on the PATH (it also builds the control plane)");
  }
}
