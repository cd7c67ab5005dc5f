package io.runtimepolicy.operator.check;

/**
 * GitHub Actions workflow commands: {@code ::error file=F,line=L,title=RULE::message} for a
 * violated rule (and unreadable input), {@code ::warning} for a value admission would change,
 * {@code ::notice} for the rest; GitHub shows them on the pull request's diff. A summary line
 * follows.
 */
final class GithubFormat {

  private GithubFormat() {}

  static String render(CheckResult result) {
    StringBuilder out = new StringBuilder();
    for (Results r : Results.of(result)) {
      String command = "note".equals(r.level()) ? "notice" : r.level();
      out.append("::").append(command).append(" file=").append(property(r.file()));
      if (r.line() > 0) {
        out.append(",line=").append(r.line());
      }
      out.append(",title=").append(property(r.ruleId()));
      out.append("::").append(data(r.message())).append('\n');
    }
    out.append(TextFormat.summary(result)).append('\n');
    return out.toString();
  }

  // The escaping of actions/toolkit's command.ts.
  static String data(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String property(String text) {
    return data(text).replace(":", "%3A").replace(",", "%2C");
  }
}
