package io.runtimepolicy.operator.check;

import io.runtimepolicy.operator.check.WorkloadReport.Change;
import io.runtimepolicy.operator.check.WorkloadReport.State;
import io.runtimepolicy.operator.policy.Finding;

/** For people: per workload, where it is, its state, each value admission sets, each finding. */
final class TextFormat {

  private TextFormat() {}

  static String render(CheckResult result) {
    StringBuilder out = new StringBuilder();
    for (WorkloadReport w : result.workloads()) {
      String file = w.manifest().source().name();
      out.append(file).append(':').append(w.line()).append(": ").append(w.title()).append(": ");
      out.append(state(w)).append('\n');
      for (Change c : w.changes()) {
        String text = Results.text(w, c).substring(w.title().length() + 2);
        out.append("  ").append(file).append(':').append(w.lineOf(c.container())).append(": ");
        out.append(text).append('\n');
      }
      for (Finding f : w.findings()) {
        out.append("  ").append(file).append(':').append(w.lineOf(f.container())).append(": ");
        out.append(f.severity()).append(' ').append(f.reason()).append(": ");
        out.append(f.message()).append('\n');
      }
    }
    out.append(summary(result)).append('\n');
    return out.toString();
  }

  static String summary(CheckResult result) {
    return result.workloads().size()
        + " workloads: "
        + result.count(State.Tuned)
        + " tuned, "
        + result.count(State.Pending)
        + " pending, "
        + result.count(State.Violation)
        + " violating, "
        + result.count(State.Skipped)
        + " skipped, "
        + result.count(State.NotGoverned)
        + " not governed; "
        + result.skipped()
        + " other documents"
        + (result.unreadable().isEmpty() ? "" : "; " + result.unreadable().size() + " unreadable");
  }

  private static String state(WorkloadReport w) {
    if (!w.governed()) {
      return "not governed";
    }
    return w.state() + " (policy " + w.policy() + ", " + w.mode() + ")";
  }
}
