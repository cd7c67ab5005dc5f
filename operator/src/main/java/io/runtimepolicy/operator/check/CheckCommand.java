package io.runtimepolicy.operator.check;

import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.reconciler.Governance;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
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
    if (CheckOptions.help(args)) {
      out.print(CheckOptions.USAGE);
      return CheckResult.CLEAN;
    }
    CheckOptions options;
    try {
      options = CheckOptions.parse(args);
    } catch (CheckOptions.UsageException e) {
      err.print("runtime-policy: " + e.getMessage() + "\n" + CheckOptions.USAGE);
      return CheckResult.UNREADABLE;
    }
    List<Unreadable> problems = new ArrayList<>();
    List<RuntimePolicy> policies = policyFiles(options, problems);
    Map<Source, YamlDocuments.Parsed> parsed = parse(options, problems);
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
    CheckResult result = check(new ManifestCheck(governance), parsed, bySource, problems);
    problems.forEach(err::println);
    if (options.fix()) {
      return new FixRun(governance, out, err).fix(result, bySource, options.warnExitCode());
    }
    return report(options, result);
  }

  private List<RuntimePolicy> policyFiles(CheckOptions options, List<Unreadable> problems) {
    List<RuntimePolicy> policies = new ArrayList<>();
    for (Source file : Inputs.read(options.policies(), in, problems)) {
      try {
        policies.addAll(CheckPolicies.read(file));
      } catch (Unreadable.Exception e) {
        problems.add(e.problem());
      }
    }
    return policies;
  }

  private Map<Source, YamlDocuments.Parsed> parse(CheckOptions options, List<Unreadable> problems) {
    Map<Source, YamlDocuments.Parsed> parsed = new LinkedHashMap<>();
    for (Source source : Inputs.read(options.paths(), in, problems)) {
      try {
        parsed.put(source, YamlDocuments.parse(source));
      } catch (Unreadable.Exception e) {
        problems.add(e.problem());
      }
    }
    return parsed;
  }

  /**
   * Every workload through the engine. The webhook admits unchanged whatever makes the engine
   * throw; here that workload cannot be checked, so it is reported as unreadable.
   */
  private static CheckResult check(
      ManifestCheck check,
      Map<Source, YamlDocuments.Parsed> parsed,
      Map<Source, List<WorkloadReport>> bySource,
      List<Unreadable> problems) {
    List<WorkloadReport> reports = new ArrayList<>();
    int skipped = 0;
    for (var entry : parsed.entrySet()) {
      List<WorkloadReport> ofSource = new ArrayList<>();
      for (Manifest manifest : entry.getValue().workloads()) {
        try {
          ofSource.add(check.check(manifest));
        } catch (RuntimeException e) {
          String why = "evaluating the policy failed: " + e;
          problems.add(new Unreadable(entry.getKey().name(), manifest.line(), why));
        }
      }
      bySource.put(entry.getKey(), ofSource);
      reports.addAll(ofSource);
      skipped += entry.getValue().skipped();
    }
    return new CheckResult(reports, skipped, problems);
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
}
