package io.runtimepolicy.operator.check;

import io.runtimepolicy.operator.reconciler.Governance;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runtime-policy fix} after the check: every file's new text is made and checked again
 * before any is written. The list of changes goes to {@code out}, or to {@code err} when standard
 * input is among the inputs (its fixed text then goes to {@code out}).
 */
final class FixRun {

  private final Governance governance;
  private final PrintStream out;
  private final PrintStream err;

  FixRun(Governance governance, PrintStream out, PrintStream err) {
    this.governance = governance;
    this.out = out;
    this.err = err;
  }

  /**
   * Every file's new text is made and checked again before any is written: a fixed file must parse,
   * hold the same workloads, and need no change the fix was to make.
   */
  int fix(CheckResult result, Map<Source, List<WorkloadReport>> bySource, int warnExitCode) {
    if (!result.unreadable().isEmpty()) {
      err.println("runtime-policy: nothing written: the input above cannot be read");
      return CheckResult.UNREADABLE;
    }
    Map<Source, String> fixed = new IdentityHashMap<>();
    List<WorkloadReport> after = new ArrayList<>();
    try {
      for (var entry : bySource.entrySet()) {
        Source source = entry.getKey();
        boolean changes = entry.getValue().stream().anyMatch(WorkloadReport::fixable);
        String text = changes ? ManifestFixer.fix(source, entry.getValue()) : source.text();
        Source again = new Source(source.name(), source.path(), text);
        List<WorkloadReport> reports = recheck(again, entry.getValue());
        after.addAll(reports);
        if (changes) {
          fixed.put(source, text);
        }
      }
    } catch (ManifestFixer.CannotFix | Unreadable.Exception e) {
      err.println(e.getMessage());
      err.println("runtime-policy: nothing written");
      return CheckResult.UNREADABLE;
    }
    PrintStream log = bySource.keySet().stream().anyMatch(Source::stdin) ? err : out;
    try {
      for (var entry : bySource.entrySet()) {
        write(entry.getKey(), fixed.get(entry.getKey()), entry.getValue(), log);
      }
    } catch (IOException e) {
      err.println("runtime-policy: writing failed: " + e.getMessage());
      return CheckResult.UNREADABLE;
    }
    CheckResult fixedResult = new CheckResult(after, result.skipped(), List.of());
    log.println(TextFormat.summary(fixedResult) + " (after fix)");
    return fixedResult.exitCode(warnExitCode);
  }

  private List<WorkloadReport> recheck(Source source, List<WorkloadReport> before)
      throws Unreadable.Exception, ManifestFixer.CannotFix {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(source);
    if (parsed.workloads().size() != before.size()) {
      throw new ManifestFixer.CannotFix(source.name() + ": the fixed text holds other workloads");
    }
    ManifestCheck check = new ManifestCheck(governance);
    List<WorkloadReport> reports = parsed.workloads().stream().map(check::check).toList();
    for (WorkloadReport report : reports) {
      if (report.fixable()) {
        String message = "%s:%d: %s: the fixed text still needs a change; please report this";
        throw new ManifestFixer.CannotFix(
            String.format(message, source.name(), report.line(), report.title()));
      }
    }
    return reports;
  }

  private void write(Source source, String text, List<WorkloadReport> reports, PrintStream log)
      throws IOException {
    if (source.stdin()) {
      out.print(text == null ? source.text() : text);
      out.flush();
    } else if (text != null) {
      Files.writeString(source.path(), text, StandardCharsets.UTF_8);
    }
    for (WorkloadReport report : reports) {
      if (!report.fixable()) {
        continue;
      }
      for (WorkloadReport.Change c : report.changes()) {
        String was = c.from() == null ? "unset" : Results.quoted(c.from());
        String now = c.to() == null ? "removed" : "set to " + Results.quoted(c.to());
        log.printf(
            "%s:%d: %s: container %s: %s %s (was %s)%n",
            source.name(),
            report.lineOf(c.container()),
            report.title(),
            c.container(),
            c.variable(),
            now,
            was);
      }
    }
  }
}
