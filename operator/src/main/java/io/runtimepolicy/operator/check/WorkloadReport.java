package io.runtimepolicy.operator.check;

import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.RuleResult;
import java.util.List;

/**
 * One workload of the input as the operator would see it.
 *
 * @param manifest where it is
 * @param policy the policy governing it; null when not governed
 * @param mode that policy's mode; null when not governed
 * @param state what the policy makes of it
 * @param target where the changes go: the workload's pod template, or (Inject) each new pod
 * @param changes the values admission would set, in container order
 * @param findings every finding, workload-level first
 * @param rules one result per rule, as the OpenReports Report gives it; empty when not governed
 */
record WorkloadReport(
    Manifest manifest,
    String policy,
    Mode mode,
    State state,
    Target target,
    List<Change> changes,
    List<Finding> findings,
    List<RuleResult> rules) {

  /** Tuned, Pending, Violation and Skipped as in a RuntimePolicy's status, or not governed. */
  enum State {
    Tuned,
    Pending,
    Violation,
    Skipped,
    NotGoverned
  }

  /** What the changes are written into. */
  enum Target {
    /** The object's own pod spec: what admission patches, and what {@code fix} writes. */
    Manifest,
    /** Inject mode: each new pod gets them at its creation; the workload stays as written. */
    Pods
  }

  /**
   * One managed value.
   *
   * @param from the literal value now; null when the variable is not set
   * @param to the value admission sets; null when it removes the entry
   */
  record Change(String container, String variable, String from, String to) {}

  WorkloadReport {
    changes = List.copyOf(changes);
    findings = List.copyOf(findings);
    rules = List.copyOf(rules);
  }

  boolean governed() {
    return policy != null;
  }

  boolean violates() {
    return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.Violation);
  }

  /** What {@code fix} writes: the changes to the manifest itself. */
  boolean fixable() {
    return target == Target.Manifest && !changes.isEmpty();
  }

  String kind() {
    return manifest.kind().kind();
  }

  String name() {
    return manifest.workload().getMetadata().getName();
  }

  String namespace() {
    return manifest.workload().getMetadata().getNamespace();
  }

  /** {@code Deployment shop/checkout}, or without the namespace when the manifest has none. */
  String title() {
    String ns = namespace();
    String name = name() == null ? "(no name)" : name();
    return kind() + " " + (ns == null ? "" : ns + "/") + name;
  }

  /** The line the object starts on. */
  int line() {
    return manifest.line();
  }

  /** The line a finding or change of {@code container} (null: the workload) points at. */
  int lineOf(String container) {
    return manifest.containerLine(container);
  }
}
