package io.runtimepolicy.operator.check;

import io.runtimepolicy.operator.check.WorkloadReport.Change;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Writes the values admission would set into the manifest's own text, and nothing else: the YAML is
 * never serialized again. A value in place replaces only its scalar (in its own quoting style where
 * that can hold it); a missing entry is a new {@code - name/value} item after the last one of that
 * {@code env} (a {@code - {name, value}} one after flow-style items), or a new {@code env:} after
 * the container's last field, indented like the lists around it; an entry admission removes goes
 * with its lines. Every other byte stays.
 */
final class ManifestFixer {

  /** A change the text cannot take without rewriting more than the value (flow containers). */
  static final class CannotFix extends Exception {
    CannotFix(String message) {
      super(message, null, false, false);
    }
  }

  private record Splice(int start, int end, String text) {}

  private final Source source;
  private final YamlText yaml;
  private final List<Splice> splices = new ArrayList<>();

  private ManifestFixer(Source source) {
    this.source = source;
    this.yaml = new YamlText(source.text());
  }

  /** The source's text with the fixable changes of {@code reports} (all of this source) in. */
  static String fix(Source source, List<WorkloadReport> reports) throws CannotFix {
    ManifestFixer fixer = new ManifestFixer(source);
    for (WorkloadReport report : reports) {
      if (report.fixable()) {
        fixer.workload(report);
      }
    }
    return fixer.apply();
  }

  private void workload(WorkloadReport report) throws CannotFix {
    Map<String, List<Change>> byContainer = new LinkedHashMap<>();
    report
        .changes()
        .forEach(c -> byContainer.computeIfAbsent(c.container(), k -> new ArrayList<>()).add(c));
    for (var entry : byContainer.entrySet()) {
      Node container = report.manifest().container(entry.getKey());
      if (!(container instanceof MappingNode mapping) || mapping.getFlowStyle() == FlowStyle.FLOW) {
        throw cannot(report, container, "is written in flow style");
      }
      container(report, mapping, entry.getValue());
    }
  }

  private void container(WorkloadReport report, MappingNode container, List<Change> changes)
      throws CannotFix {
    Node env = YamlTree.get(container, "env");
    List<Change> added = new ArrayList<>();
    for (Change change : changes) {
      Node entry = YamlTree.lastNamed(env, change.variable());
      if (entry == null) {
        if (change.to() != null) {
          added.add(change);
        }
      } else if (change.to() == null) {
        remove(report, change, entry);
      } else {
        set(report, change, (MappingNode) entry);
      }
    }
    if (!added.isEmpty()) {
      append(report, container, env, added);
    }
  }

  private void set(WorkloadReport report, Change change, MappingNode entry) throws CannotFix {
    Node value = YamlTree.get(entry, "value");
    if (value instanceof ScalarNode scalar && scalar.getValue().isEmpty() && plain(scalar)) {
      // "value:" with nothing: the empty scalar's marks may lie on the next line.
      int colon = yaml.indexOf(':', yaml.end(YamlTree.key(entry, "value")));
      splices.add(new Splice(colon + 1, colon + 1, " " + YamlText.doubleQuoted(change.to())));
    } else if (value instanceof ScalarNode scalar) {
      int start = yaml.start(scalar);
      int end = yaml.end(scalar);
      String written = YamlText.scalarLike(scalar, change.to());
      boolean block =
          scalar.getScalarStyle() == ScalarStyle.LITERAL
              || scalar.getScalarStyle() == ScalarStyle.FOLDED;
      if (block) {
        String old = yaml.slice(start, end);
        written += old.substring(old.stripTrailing().length()); // the line breaks it ended with
      }
      splices.add(new Splice(start, end, written));
    } else if (value == null && entry.getFlowStyle() == FlowStyle.BLOCK) {
      int at = yaml.lineEndAfter(entry);
      int column = yaml.column(yaml.start(entry));
      String field = "value: " + YamlText.doubleQuoted(change.to());
      splices.add(new Splice(at, at, yaml.newline + YamlText.pad(column) + field));
    } else {
      throw cannot(report, entry, "has its " + change.variable() + " entry in flow style");
    }
  }

  private static boolean plain(ScalarNode scalar) {
    return scalar.getScalarStyle() == ScalarStyle.PLAIN;
  }

  private void remove(WorkloadReport report, Change change, Node entry) throws CannotFix {
    if (!(entry instanceof MappingNode m)
        || m.getFlowStyle() == FlowStyle.FLOW
        || yaml.dashColumn(entry) < 0) {
      throw cannot(report, entry, "has its " + change.variable() + " entry in flow style");
    }
    int from = yaml.lineStart(yaml.start(entry));
    splices.add(new Splice(from, yaml.nextLine(yaml.lineEndAfter(entry)), ""));
  }

  private void append(WorkloadReport report, MappingNode container, Node env, List<Change> added)
      throws CannotFix {
    if (env instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
      appendItems(report, seq, added);
    } else if (env == null || env instanceof SequenceNode || YamlTree.text(env) == null) {
      newEnv(report, container, env, added);
    } else {
      throw cannot(report, container, "has an env that is not a list");
    }
  }

  /** After the last item, dashed and indented like it; inside the brackets of a flow list. */
  private void appendItems(WorkloadReport report, SequenceNode env, List<Change> added)
      throws CannotFix {
    if (env.getFlowStyle() == FlowStyle.FLOW) {
      int close = yaml.end(env) - 1;
      StringBuilder items = new StringBuilder();
      for (Change c : added) {
        items.append(", {name: ").append(YamlText.plainOrQuoted(c.variable()));
        items.append(", value: ").append(YamlText.doubleQuoted(c.to())).append('}');
      }
      splices.add(new Splice(close, close, items.toString()));
      return;
    }
    Node last = env.getValue().get(env.getValue().size() - 1);
    if (!(last instanceof MappingNode item) || yaml.dashColumn(last) < 0) {
      throw cannot(report, last, "has an env list whose last item is not a mapping");
    }
    int at = yaml.lineEndAfter(last);
    int dash = yaml.dashColumn(last);
    String items =
        item.getFlowStyle() == FlowStyle.FLOW
            ? EnvItems.flow(yaml.newline, dash, added)
            : EnvItems.block(yaml.newline, dash, yaml.column(yaml.start(last)), added);
    splices.add(new Splice(at, at, items));
  }

  /**
   * A new env (or items under an empty {@code env:}, {@code env: null}, {@code env: []}): at the
   * container's own key column, dashed the way the containers list is.
   */
  private void newEnv(WorkloadReport report, MappingNode container, Node env, List<Change> added)
      throws CannotFix {
    int keyColumn = yaml.column(yaml.start(container.getValue().get(0).getKeyNode()));
    int containerDash = yaml.dashColumn(container);
    Node containersKey = YamlTree.key(report.manifest().podSpec(), "containers");
    if (containerDash < 0 || containersKey == null) {
      throw cannot(report, container, "is not in a block list");
    }
    int dash = keyColumn + containerDash - yaml.column(yaml.start(containersKey));
    int content = dash + yaml.column(yaml.start(container)) - containerDash;
    String block = EnvItems.block(yaml.newline, dash, content, added);
    Node envKey = YamlTree.key(container, "env");
    if (envKey == null) {
      int at = yaml.lineEndAfter(container);
      splices.add(new Splice(at, at, yaml.newline + YamlText.pad(keyColumn) + "env:" + block));
      return;
    }
    int lineEnd = yaml.lineEndAfter(envKey);
    if (yaml.end(env) <= lineEnd) {
      splices.add(new Splice(yaml.end(envKey), yaml.end(env), ":")); // "env: null" becomes "env:"
    }
    splices.add(new Splice(lineEnd, lineEnd, block));
  }

  private String apply() {
    StringBuilder text = new StringBuilder(source.text());
    // From the end, so no splice moves another; inserts at one place keep their order.
    List<Splice> ordered = new ArrayList<>(splices);
    Collections.reverse(ordered);
    ordered.sort(Comparator.comparingInt(Splice::start).reversed());
    for (Splice splice : ordered) {
      text.replace(splice.start(), splice.end(), splice.text());
    }
    return text.toString();
  }

  private CannotFix cannot(WorkloadReport report, Node where, String problem) {
    int line = where == null ? report.line() : YamlTree.line(where);
    String message = "%s:%d: %s: a container %s; set its env by hand";
    return new CannotFix(String.format(message, source.name(), line, report.title(), problem));
  }
}
