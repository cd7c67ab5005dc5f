package io.runtimepolicy.operator.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runtimepolicy.operator.reconciler.Governance;
import java.util.List;
import java.util.Map;

/**
 * Any text through check and fix. Under {@code make test} it replays the inputs committed in {@code
 * ManifestFuzzTestInputs/anyManifest/}; {@code make fuzz} runs it coverage-guided.
 */
class ManifestFuzzTest {

  private static final Governance GOVERNANCE = governance();

  /**
   * Reading answers Unreadable or workloads, checking never throws, and fixing answers CannotFix or
   * a text that parses to the same workloads with nothing left to fix. Anchors and aliases may make
   * the fixed text fail that re-check (one scalar, two places); fix then writes nothing.
   */
  @FuzzTest(maxDuration = "2m")
  void anyManifest(FuzzedDataProvider data) throws Exception {
    Source source = new Source("fuzz.yaml", null, data.consumeRemainingAsString());
    YamlDocuments.Parsed parsed;
    try {
      parsed = YamlDocuments.parse(source);
    } catch (Unreadable.Exception expected) {
      return;
    }
    ManifestCheck check = new ManifestCheck(GOVERNANCE);
    List<WorkloadReport> reports = parsed.workloads().stream().map(check::check).toList();
    if (reports.stream().noneMatch(WorkloadReport::fixable)) {
      return;
    }
    String fixed;
    try {
      fixed = ManifestFixer.fix(source, reports);
    } catch (ManifestFixer.CannotFix expected) {
      return;
    }
    if (source.text().contains("&") || source.text().contains("<<")) {
      return;
    }
    YamlDocuments.Parsed again = YamlDocuments.parse(new Source("fixed.yaml", null, fixed));
    assertThat(again.workloads()).hasSameSizeAs(parsed.workloads());
    assertThat(again.workloads().stream().map(check::check).noneMatch(WorkloadReport::fixable))
        .as(fixed)
        .isTrue();
  }

  private static Governance governance() {
    try {
      return CheckPolicies.governance(List.of(), Map.of());
    } catch (Unreadable.Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
