package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.List;

/**
 * One rule against one workload.
 *
 * @param findings the workload's findings about this rule, in their order
 */
public record RuleResult(Rule rule, Outcome outcome, List<Finding> findings) {

  /** OpenReports' results; {@link #id()} is the lower-case name a Report carries. */
  public enum Outcome {
    Pass,
    Fail,
    Warn,
    Skip,
    Error;

    /** {@code pass}, {@code fail}, {@code warn}, {@code skip} or {@code error}. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public RuleResult {
    findings = List.copyOf(findings);
  }

  /**
   * Each rule of {@link Rule} for one workload, in that order:
   *
   * <ul>
   *   <li>{@code runtime-tuning}, by {@code tuning}, the workload's state as the managed values
   *       alone make it: Tuned is Pass, Pending (a value differs: Audit, or a write still to come)
   *       Warn, Skipped (nothing could be computed) Skip, Error Error, and a Violation Fail.
   *   <li>{@code probe-timing}: Fail with a Violation about it; else Skip when no governed
   *       container has a liveness probe ({@code probed} false), Pass when every probe is in time.
   * </ul>
   *
   * Notices never change an outcome; they are the rule's findings beside it.
   */
  public static List<RuleResult> of(WorkloadState tuning, boolean probed, List<Finding> findings) {
    List<Finding> tuningFindings = about(Rule.RUNTIME_TUNING, findings);
    List<Finding> probeFindings = about(Rule.PROBE_TIMING, findings);
    Outcome probe =
        probeFindings.stream().anyMatch(f -> f.severity() == Finding.Severity.Violation)
            ? Outcome.Fail
            : probed ? Outcome.Pass : Outcome.Skip;
    return List.of(
        new RuleResult(Rule.RUNTIME_TUNING, outcome(tuning), tuningFindings),
        new RuleResult(Rule.PROBE_TIMING, probe, probeFindings));
  }

  /** Tuned Pass, Violation Fail, Pending Warn, Skipped Skip, Error (or none) Error. */
  public static Outcome outcome(WorkloadState state) {
    if (state == null) {
      return Outcome.Error;
    }
    return switch (state) {
      case Tuned -> Outcome.Pass;
      case Violation -> Outcome.Fail;
      case Pending -> Outcome.Warn;
      case Skipped -> Outcome.Skip;
      case Error -> Outcome.Error;
    };
  }

  private static List<Finding> about(Rule rule, List<Finding> findings) {
    return findings.stream().filter(f -> f.rule() == rule).toList();
  }
}
