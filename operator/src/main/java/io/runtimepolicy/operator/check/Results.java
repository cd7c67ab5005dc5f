package io.runtimepolicy.operator.check;

import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.check.WorkloadReport.Change;
import io.runtimepolicy.operator.check.WorkloadReport.Target;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * A run flattened into results, one per change and per finding, the shape every output but text and
 * json reports: SARIF results, JUnit failures, GitHub annotations.
 *
 * @param ruleId the finding's reason, or {@link #CHANGE_RULE} for a value admission would set
 * @param rule the rule ({@code runtime-tuning}, {@code probe-timing}) the finding or change is
 *     about, as the OpenReports Report names it; null for unreadable input
 * @param level {@code error} (a violated rule), {@code warning} (a value admission would change),
 *     or {@code note} (a finding that fails no rule)
 */
record Results(
    WorkloadReport workload,
    String ruleId,
    String rule,
    String level,
    String file,
    int line,
    String message) {

  static final String CHANGE_RULE = "ManagedValueChanged";
  static final String UNREADABLE_RULE = "UnreadableInput";
  static final String CHANGE_ABOUT = Rule.RUNTIME_TUNING.id();

  static List<Results> of(CheckResult result) {
    List<Results> all = new ArrayList<>();
    for (WorkloadReport w : result.workloads()) {
      String file = w.manifest().source().name();
      for (Change c : w.changes()) {
        int line = w.lineOf(c.container());
        all.add(new Results(w, CHANGE_RULE, CHANGE_ABOUT, "warning", file, line, text(w, c)));
      }
      for (Finding f : w.findings()) {
        String level = f.severity() == Finding.Severity.Violation ? "error" : "note";
        String message = w.title() + ": " + f.message();
        int line = w.lineOf(f.container());
        all.add(new Results(w, f.reason(), f.rule().id(), level, file, line, message));
      }
    }
    for (Unreadable u : result.unreadable()) {
      all.add(new Results(null, UNREADABLE_RULE, null, "error", u.file(), u.line(), u.message()));
    }
    return all;
  }

  /** {@code Deployment shop/checkout: container app: JAVA_TOOL_OPTIONS "-Xss1m" becomes ...}. */
  static String text(WorkloadReport w, Change c) {
    String who =
        w.target() == Target.Pods
            ? "each new pod gets"
            : w.mode() == Mode.Audit ? "Enforce would set" : "admission sets";
    String from = c.from() == null ? "unset" : quoted(c.from());
    String to = c.to() == null ? "it removed" : quoted(c.to());
    return w.title()
        + ": container "
        + c.container()
        + ": "
        + c.variable()
        + " is "
        + from
        + ", "
        + who
        + " "
        + to;
  }

  /** A value in double quotes, whole (users copy it), escaped as YAML and JSON read it. */
  static String quoted(String value) {
    return YamlText.doubleQuoted(value);
  }
}
