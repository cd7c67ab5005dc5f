package io.runtimepolicy.operator.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} of the project's own chart through {@code check -f -}: the operator's own
 * Deployment is annotated for tuning and passes its own rules.
 */
class ChartCheckTest {

  private static final Path CHART = Path.of("../helm/runtime-policy-operator");

  @Test
  void theChartsOwnDeploymentPassesItsOwnRules() throws Exception {
    String rendered = helm("template", "runtime-policy", CHART.toString(), "-n", "runtime-policy");

    CheckRun run =
        CheckRun.withStdin(rendered, "check", "-f", "-", "-o", "json", "--warn-exit-code", "3");

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).as(run.out()).isZero();
    JsonNode json = run.json();
    assertThat(json.path("summary").path("otherDocuments").asInt()).isGreaterThan(3);
    JsonNode operator = json.path("workloads").get(0);
    assertThat(json.path("workloads")).hasSize(1);
    assertThat(operator.path("kind").asText()).isEqualTo("Deployment");
    assertThat(operator.path("governed").asBoolean()).isTrue();
    assertThat(operator.path("state").asText()).isEqualTo("Tuned");
    assertThat(operator.path("changes")).isEmpty();
    assertThat(operator.path("findings")).isEmpty();
  }

  @Test
  void aCpuLimitChangedWithoutTheFlagIsWhatAdmissionWouldChange() throws Exception {
    String rendered = helm("template", "rp", CHART.toString(), "--set", "resources.limits.cpu=2");

    CheckRun run = CheckRun.withStdin(rendered, "check", "-f", "-", "--warn-exit-code", "3");

    assertThat(run.exit()).as(run.out()).isEqualTo(3);
    assertThat(run.out())
        .contains(
            "admission sets \"-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
                + " -XX:ActiveProcessorCount=2 -XX:TieredStopAtLevel=1 -XX:NewRatio=4"
                + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30\"");
  }

  private static String helm(String... args) throws IOException, InterruptedException {
    Path helm = helmBinary().orElse(null);
    Assumptions.assumeTrue(
        helm != null, "no helm binary: run hack/control-plane.sh (make control-plane)");
    String[] command =
        Stream.concat(Stream.of(helm.toString()), Stream.of(args)).toArray(String[]::new);
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(err).isZero();
    return out;
  }

  /** $HELM_BIN, or the newest helm hack/control-plane.sh installed under ~/.kubeapitest. */
  private static Optional<Path> helmBinary() throws IOException {
    String env = System.getenv("HELM_BIN");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    String base = System.getProperty("kube.api.test.dir", System.getenv("KUBE_API_TEST_DIR"));
    Path dir =
        Path.of(base != null ? base : System.getProperty("user.home") + "/.kubeapitest", "helm");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(dir)) {
      return versions
          .map(v -> v.resolve("helm"))
          .filter(Files::isExecutable)
          .max(Comparator.comparing(Path::toString));
    }
  }
}
