package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeChecksTest {

  static Container withLiveness(String name, Integer timeoutSeconds) {
    return new ContainerBuilder()
        .withName(name)
        .withLivenessProbe(
            new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/healthz")
                .endHttpGet()
                .withTimeoutSeconds(timeoutSeconds)
                .build())
        .build();
  }

  @ParameterizedTest(name = "timeoutSeconds={0} vs {1} -> violation={2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-, 5s, false",
        "-, 1s, true",
        "-, 1500ms, false",
        "0, 1s, true",
        "10, 5s, true",
        "4, 5s, false",
        "5, 5s, true",
        "1, 1500ms, false",
        "2, 1500ms, true",
        "4, 4001ms, false",
        "90, 1m30s, true",
        "89, 1m30s, false",
      })
  void livenessTimeoutMustBeStrictlyBelowTheReadTimeout(
      Integer timeoutSeconds, String readTimeout, boolean violation) {
    Container container = withLiveness("app", timeoutSeconds);
    assertThat(ProbeChecks.check(container, Durations.parse(readTimeout), readTimeout))
        .hasSize(violation ? 1 : 0);
  }

  @Test
  void theViolationReadsAsInTheDesign() {
    assertThat(ProbeChecks.check(withLiveness("app", 10), Duration.ofSeconds(5), "5s"))
        .containsExactly(
            new Finding(
                Reasons.LIVENESS_TIMEOUT_TOO_LONG,
                "app",
                Finding.Severity.Violation,
                "container app: liveness probe timeoutSeconds 10 is not below the app read"
                    + " timeout 5s"));
  }

  @Test
  void unsetTimeoutCountsAsOne() {
    assertThat(ProbeChecks.livenessTimeoutSeconds(withLiveness("app", null))).isEqualTo(1);
    assertThat(ProbeChecks.livenessTimeoutSeconds(withLiveness("app", 0))).isEqualTo(1);
    assertThat(ProbeChecks.livenessTimeoutSeconds(withLiveness("app", 7))).isEqualTo(7);
  }

  @Test
  void noLivenessProbeNoFinding() {
    Container container =
        new ContainerBuilder()
            .withName("app")
            .withReadinessProbe(new ProbeBuilder().withTimeoutSeconds(30).build())
            .build();
    assertThat(ProbeChecks.livenessTimeoutSeconds(container)).isNull();
    assertThat(ProbeChecks.check(container, Duration.ofSeconds(5), "5s")).isEmpty();
    assertThat(ProbeChecks.check(withLiveness("app", 30), null, "?")).isEmpty();
  }

  @Test
  void theProbeIsNeverChanged() {
    Container container = withLiveness("app", 10);
    Container before = new ContainerBuilder(container).build();
    ProbeChecks.check(container, Duration.ofSeconds(5), "5s");
    assertThat(container).isEqualTo(before);
  }
}
