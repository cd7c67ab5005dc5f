package io.runtimepolicy.operator.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line: {@code check|fix -f PATH... [--policy FILE]... [-o FORMAT] [--warn-exit-code
 * N]}. Paths may also follow the options without {@code -f}.
 */
record CheckOptions(
    boolean fix, List<String> paths, List<String> policies, Format format, int warnExitCode) {

  /** The output formats of {@code -o}. */
  enum Format {
    TEXT,
    JSON,
    SARIF,
    JUNIT,
    GITHUB
  }

  static final String USAGE =
      """
      usage: runtime-policy check -f PATH... [--policy FILE] [-o text|json|sarif|junit|github]
                                  [--warn-exit-code N]
             runtime-policy fix   -f PATH... [--policy FILE] [--warn-exit-code N]
        PATH: a file, a directory (its *.yaml, *.yml, *.json) or - for standard input
        exit: 0 clean, 1 a rule is violated, 2 unreadable input or bad usage,
              N (--warn-exit-code, default 0) when admission would only change managed values
      """;

  /** A command line that cannot run; the message says why. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /** Asked for the usage: printed on stdout, exit 0. */
  static boolean help(List<String> args) {
    return args.size() == 1 && List.of("-h", "--help", "help").contains(args.get(0));
  }

  static CheckOptions parse(List<String> args) throws UsageException {
    if (args.isEmpty() || !List.of("check", "fix").contains(args.get(0))) {
      throw new UsageException("expected a command: check or fix");
    }
    boolean fix = args.get(0).equals("fix");
    List<String> paths = new ArrayList<>();
    List<String> policies = new ArrayList<>();
    Format format = Format.TEXT;
    int warnExitCode = 0;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-f", "--filename" -> paths.add(value(args, ++i, arg));
        case "--policy" -> policies.add(value(args, ++i, arg));
        case "-o", "--output" -> format = format(value(args, ++i, arg));
        case "--warn-exit-code" -> warnExitCode = exitCode(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("-") && !arg.equals(Source.STDIN)) {
            throw new UsageException("unknown option " + arg);
          }
          paths.add(arg);
        }
      }
    }
    if (paths.isEmpty()) {
      throw new UsageException("no input: give -f PATH (a file, a directory, or - for stdin)");
    }
    if (fix && format != Format.TEXT) {
      throw new UsageException("fix prints what it changed as text; -o is for check");
    }
    return new CheckOptions(fix, paths, policies, format, warnExitCode);
  }

  private static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i);
  }

  private static Format format(String name) throws UsageException {
    try {
      return Format.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("unknown output " + name + ": text, json, sarif, junit or github");
    }
  }

  private static int exitCode(String text) throws UsageException {
    try {
      int code = Integer.parseInt(text);
      if (code >= 0 && code <= 255) {
        return code;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--warn-exit-code takes a number from 0 to 255, not " + text);
  }
}
