package io.runtimepolicy.operator.check;

import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.reconciler.Governance;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runtime-policy check} and {@code fix}: offline, no cluster, no operator; the streams and
 * environment are passed in so tests run it in-process. Unreadable input is reported on {@code err}
 * as {@code FILE:LINE: message}; {@code fix} then writes nothing at all.
 */
public final class CheckCommand {

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  public CheckCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /** Runs a command line; returns the exit code. */
  public int run(List<String> args) {
    CheckOptions options;
    try {
      options = CheckOptions.parse(args);
    } catch (CheckOptions.UsageException e) {
      err.print("runtime-policy: " + e.getMessage() + "\n" + CheckOptions.USAGE);
      return CheckResult.UNREADABLE;
    }
    List<Unreadable> problems = new ArrayList<>();
    List<RuntimePolicy> policies = new ArrayList<>();
    for (Source file : Inputs.read(options.policies(), in, problems)) {
      try {
        policies.addAll(CheckPolicies.read(file));
      } catch (Unreadable.Exception e) {
        problems.add(e.problem());
      }
    }
    Map<Source, YamlDocuments.Parsed> parsed = new LinkedHashMap<>();
    for (Source source : Inputs.read(options.paths(), in, problems)) {
      try {
        parsed.put(source, YamlDocuments.parse(source));
      } catch (Unreadable.Exception e) {
        problems.add(e.problem());
      }
    }
    List<RuntimePolicy> all = new ArrayList<>();
    parsed.values().forEach(p -> all.addAll(p.policies()));
    all.addAll(policies); // --policy wins over a policy of the same name in the input
    Governance governance;
    try {
      governance = CheckPolicies.governance(all, env);
    } catch (Unreadable.Exception e) {
      err.println(e.problem());
      return CheckResult.UNREADABLE;
    }
    Map<Source, List<WorkloadReport>> bySource = new LinkedHashMap<>();
    ManifestCheck check = new ManifestCheck(governance);
    List<WorkloadReport> reports = new ArrayList<>();
    int skipped = 0;
    for (var entry : parsed.entrySet()) {
      List<WorkloadReport> ofSource =
          entry.getValue().workloads().stream().map(check::check).toList();
      bySource.put(entry.getKey(), ofSource);
      reports.addAll(ofSource);
      skipped += entry.getValue().skipped();
    }
    CheckResult result = new CheckResult(reports, skipped, problems);
    problems.forEach(err::println);
    return options.fix() ? fix(options, governance, result, bySource) : report(options, result);
  }

  private int report(CheckOptions options, CheckResult result) {
    int exit = result.exitCode(options.warnExitCode());
    out.print(
        switch (options.format()) {
          case TEXT -> TextFormat.render(result);
          case JSON -> JsonFormat.render(result, exit);
          case SARIF -> SarifFormat.render(result);
          case JUNIT -> JunitFormat.render(result);
          case GITHUB -> GithubFormat.render(result);
        });
    return exit;
  }

  /**
   * Every file's new text is made and checked again before any is written: a fixed file must parse,
   * hold the same workloads, and need no change the fix was to make.
   */
  private int fix(
      CheckOptions options,
      Governance governance,
      CheckResult result,
      Map<Source, List<WorkloadReport>> bySource) {
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
        List<WorkloadReport> reports = recheck(governance, again, entry.getValue());
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
    return fixedResult.exitCode(options.warnExitCode());
  }

  private static List<WorkloadReport> recheck(
      Governance governance, Source source, List<WorkloadReport> before)
      throws Unreadable.Exception, ManifestFixer.CannotFix {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(source);
    if (parsed.workloads().size() != before.size()) {
      throw new ManifestFixer.CannotFix(source.name() + ": the fixed text holds other workloads");
    }
    ManifestCheck check = new ManifestCheck(governance);
    List<WorkloadReport> reports = parsed.workloads().stream().map(check::check).toList();
    for (WorkloadReport report : reports) {
      if (report.fixable()) {
        throw new ManifestFixer.CannotFix(
            source.name()
                + ":"
                + report.line()
                + ": "
                + report.title()
                + ": the fixed text still needs a change; please report this");
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
        log.println(
            source.name()
                + ":"
                + report.lineOf(c.container())
                + ": "
                + report.title()
                + ": container "
                + c.container()
                + ": "
                + c.variable()
                + " "
                + now
                + " (was "
                + was
                + ")");
      }
    }
  }
}
