package io.runtimepolicy.operator.check;

import io.runtimepolicy.operator.check.WorkloadReport.Change;
import java.util.List;

/** New env entries as {@link ManifestFixer} inserts them: each on its own line(s). */
final class EnvItems {

  private EnvItems() {}

  /** New {@code - name/value} items, each on its own lines. */
  static String block(String newline, int dash, int content, List<Change> added) {
    StringBuilder out = new StringBuilder();
    for (Change c : added) {
      out.append(newline).append(YamlText.pad(dash)).append("- ");
      out.append(YamlText.pad(content - dash - 2)).append("name: ");
      out.append(YamlText.plainOrQuoted(c.variable()));
      out.append(newline).append(YamlText.pad(content)).append("value: ");
      out.append(YamlText.doubleQuoted(c.to()));
    }
    return out.toString();
  }

  /** New {@code - {name: N, value: "V"}} items, like the flow-mapping items before them. */
  static String flow(String newline, int dash, List<Change> added) {
    StringBuilder out = new StringBuilder();
    for (Change c : added) {
      out.append(newline).append(YamlText.pad(dash)).append("- {name: ");
      out.append(YamlText.plainOrQuoted(c.variable())).append(", value: ");
      out.append(YamlText.doubleQuoted(c.to())).append('}');
    }
    return out.toString();
  }
}
