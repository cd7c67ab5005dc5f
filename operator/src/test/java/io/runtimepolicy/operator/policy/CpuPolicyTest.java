package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuPolicyTest {

  static PolicySettings settings(CpuSource source, Rounding rounding, int min, Integer max) {
    return new PolicySettings(
        Mode.Enforce, "JAVA_TOOL_OPTIONS", source, rounding, min, max, null, "5s");
  }

  static ResourceRequirements cpu(String limit, String request) {
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    if (limit != null) {
      builder.addToLimits("cpu", quantity(limit));
    }
    if (request != null) {
      builder.addToRequests("cpu", quantity(request));
    }
    return builder.build();
  }

  /** As fabric8 splits it; text fabric8 refuses (like 1e3m) kept whole as the amount. */
  static Quantity quantity(String text) {
    try {
      return new Quantity(text);
    } catch (IllegalArgumentException e) {
      return new Quantity(text, null);
    }
  }

  @ParameterizedTest(name = "limit={0} request={1} {2} {3} min={4} max={5} -> {6} from {7}")
  @CsvSource(
      nullValues = "-",
      value = {
        // the table STYLE.md asks for, both roundings
        "100m, -, LimitOrRequest, Ceil, 1, -, 1, Limit",
        "100m, -, LimitOrRequest, Floor, 1, -, 1, Limit",
        "1, -, LimitOrRequest, Ceil, 1, -, 1, Limit",
        "1, -, LimitOrRequest, Floor, 1, -, 1, Limit",
        "1500m, -, LimitOrRequest, Ceil, 1, -, 2, Limit",
        "1500m, -, LimitOrRequest, Floor, 1, -, 1, Limit",
        "2.5, -, LimitOrRequest, Ceil, 1, -, 3, Limit",
        "2.5, -, LimitOrRequest, Floor, 1, -, 2, Limit",
        "2500m, -, LimitOrRequest, Floor, 1, -, 2, Limit",
        "1e3m, -, LimitOrRequest, Ceil, 1, -, -, Limit",
        "1e3, -, LimitOrRequest, Ceil, 1, -, 1000, Limit",
        "2001m, -, LimitOrRequest, Ceil, 1, -, 3, Limit",
        "1999999999n, -, LimitOrRequest, Floor, 1, -, 1, Limit",
        // tiny quantities give minProcessors (zero is a finding: see below)
        "1m, -, LimitOrRequest, Floor, 1, -, 1, Limit",
        "1m, -, LimitOrRequest, Ceil, 2, -, 2, Limit",
        // clamps
        "16, -, LimitOrRequest, Ceil, 1, 4, 4, Limit",
        "3, -, LimitOrRequest, Ceil, 4, 8, 4, Limit",
        "3, -, LimitOrRequest, Ceil, 4, 2, 4, Limit",
        "1e999999999, -, LimitOrRequest, Ceil, 1, 64, 64, Limit",
        "1e999999999, -, LimitOrRequest, Floor, 1, -, 2147483647, Limit",
        // the limit wins over the request
        "500m, 8, LimitOrRequest, Ceil, 1, -, 1, Limit",
        "4, 250m, Limit, Ceil, 1, -, 4, Limit",
        // request fallback only with LimitOrRequest
        "-, 3, LimitOrRequest, Floor, 1, -, 3, Request",
        "-, 1500m, LimitOrRequest, Ceil, 1, -, 2, Request",
        "-, 3, Limit, Floor, 1, -, -, -",
      })
  void decidesProcessors(
      String limit,
      String request,
      CpuSource source,
      Rounding rounding,
      int min,
      Integer max,
      Integer processors,
      CpuOrigin origin) {
    ProcessorDecision decision =
        CpuPolicy.decide("app", cpu(limit, request), settings(source, rounding, min, max));
    assertThat(decision.processors()).isEqualTo(processors);
    assertThat(decision.origin()).isEqualTo(origin);
    assertThat(decision.finding().isPresent()).isEqualTo(processors == null);
  }

  @Test
  void acceptanceFloorWithMinimumOne() {
    PolicySettings floor = settings(CpuSource.LimitOrRequest, Rounding.Floor, 1, null);
    assertThat(CpuPolicy.decide("app", cpu("1500m", null), floor).processors()).isEqualTo(1);
    assertThat(CpuPolicy.decide("app", cpu(null, "3"), floor).processors()).isEqualTo(3);
    PolicySettings limitOnly = settings(CpuSource.Limit, Rounding.Floor, 1, null);
    ProcessorDecision skipped = CpuPolicy.decide("app", cpu(null, "3"), limitOnly);
    assertThat(skipped.processors()).isNull();
    assertThat(skipped.finding())
        .get()
        .extracting(Finding::reason)
        .isEqualTo(Reasons.CPU_QUANTITY_MISSING);
  }

  @Test
  void acceptanceCeil() {
    PolicySettings ceil = settings(CpuSource.LimitOrRequest, Rounding.Ceil, 1, null);
    assertThat(CpuPolicy.decide("app", cpu("1500m", null), ceil).processors()).isEqualTo(2);
  }

  @Test
  void missingQuantityIsANoticeAndNothingIsGuessed() {
    PolicySettings defaults = PolicySettings.defaults();
    for (ResourceRequirements resources :
        new ResourceRequirements[] {null, new ResourceRequirements(), cpu(null, null)}) {
      ProcessorDecision decision = CpuPolicy.decide("app", resources, defaults);
      assertThat(decision.processors()).isNull();
      assertThat(decision.quantity()).isNull();
      assertThat(decision.origin()).isNull();
      Finding finding = decision.finding().orElseThrow();
      assertThat(finding.reason()).isEqualTo(Reasons.CPU_QUANTITY_MISSING);
      assertThat(finding.severity()).isEqualTo(Finding.Severity.Notice);
      assertThat(finding.container()).isEqualTo("app");
      assertThat(finding.message())
          .isEqualTo(
              "container app: no CPU limit or request, so -XX:ActiveProcessorCount is not set");
    }
  }

  @ParameterizedTest(name = "limit {0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "abc | container app: CPU limit \"abc\" is not a Kubernetes quantity",
        "-1 | container app: CPU limit -1 is negative",
        "-500m | container app: CPU limit -500m is negative",
        "0 | container app: CPU limit 0 is zero, which bounds nothing",
        "0m | container app: CPU limit 0m is zero, which bounds nothing",
      })
  void invalidQuantityIsANoticeAndNotReplacedByTheRequest(String limit, String message) {
    ResourceRequirements resources =
        new ResourceRequirementsBuilder()
            .addToLimits("cpu", new Quantity(limit, null))
            .addToRequests("cpu", new Quantity("2"))
            .build();
    ProcessorDecision decision = CpuPolicy.decide("app", resources, PolicySettings.defaults());
    assertThat(decision.processors()).isNull();
    assertThat(decision.quantity()).isEqualTo(limit);
    assertThat(decision.origin()).isEqualTo(CpuOrigin.Limit);
    assertThat(decision.finding())
        .get()
        .extracting(Finding::reason, Finding::message)
        .containsExactly(Reasons.CPU_QUANTITY_INVALID, message);
  }

  @Test
  void quantityIsReportedAsWritten() {
    ProcessorDecision decision =
        CpuPolicy.decide("app", cpu("2500m", null), PolicySettings.defaults());
    assertThat(decision.quantity()).isEqualTo("2500m");
    assertThat(decision.finding()).isEmpty();
  }
}
