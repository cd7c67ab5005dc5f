package io.runtimepolicy.operator.check;

import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Positions in the text a YAML node came from, and scalars written the way YAML reads them back.
 * SnakeYAML's marks count code points; these are {@code char} offsets into the Java string.
 */
final class YamlText {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=+-][A-Za-z0-9_./=+: -]*");
  private static final Resolver RESOLVER = new Resolver();

  private final String text;
  private final boolean bmpOnly;
  final String newline;

  YamlText(String text) {
    this.text = text;
    this.bmpOnly = text.codePoints().count() == text.length();
    this.newline = text.contains("\r\n") ? "\r\n" : "\n";
  }

  int start(Node node) {
    return offset(node.getStartMark());
  }

  int end(Node node) {
    return offset(node.getEndMark());
  }

  private int offset(Mark mark) {
    return bmpOnly ? mark.getIndex() : text.offsetByCodePoints(0, mark.getIndex());
  }

  /** The column of a {@code char} offset. */
  int column(int offset) {
    return offset - (text.lastIndexOf('\n', offset - 1) + 1);
  }

  /**
   * The column of the {@code -} before a block sequence item, which may start on a later line; -1
   * when it has none (flow) or a comment comes between.
   */
  int dashColumn(Node item) {
    int p = start(item) - 1;
    while (p >= 0 && Character.isWhitespace(text.charAt(p))) {
      p--;
    }
    return p >= 0 && text.charAt(p) == '-' ? column(p) : -1;
  }

  /**
   * Where to insert after {@code node}: the end of the line its last value ends on (after a comment
   * there; before the line break), never inside a later line.
   */
  int lineEndAfter(Node node) {
    int p = end(last(node));
    while (p > 0 && Character.isWhitespace(text.charAt(p - 1))) {
      p--;
    }
    int lineEnd = text.indexOf('\n', p);
    if (lineEnd < 0) {
      return text.length();
    }
    return lineEnd > 0 && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
  }

  /** The start of the line {@code offset} is on. */
  int lineStart(int offset) {
    return text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** The offset just past the line break ending the line {@code offset} is on. */
  int nextLine(int offset) {
    int lineEnd = text.indexOf('\n', offset);
    return lineEnd < 0 ? text.length() : lineEnd + 1;
  }

  int indexOf(char c, int from) {
    return text.indexOf(c, from);
  }

  String slice(int start, int end) {
    return text.substring(start, end);
  }

  private static Node last(Node node) {
    if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
      return last(mapping.getValue().get(mapping.getValue().size() - 1).getValueNode());
    }
    if (node instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
      return last(seq.getValue().get(seq.getValue().size() - 1));
    }
    return node;
  }

  /** A scalar in the style it replaces where that style can hold it; else double-quoted. */
  static String scalarLike(ScalarNode original, String value) {
    ScalarStyle style = original.getScalarStyle();
    if (style == ScalarStyle.PLAIN && plainSafe(value)) {
      return value;
    }
    if (style == ScalarStyle.SINGLE_QUOTED && value.chars().noneMatch(Character::isISOControl)) {
      return "'" + value.replace("'", "''") + "'";
    }
    return doubleQuoted(value);
  }

  /** A name or value as a plain scalar where YAML reads it back as that string; else quoted. */
  static String plainOrQuoted(String value) {
    return plainSafe(value) ? value : doubleQuoted(value);
  }

  static boolean plainSafe(String value) {
    return PLAIN.matcher(value).matches()
        && !value.contains(": ")
        && !value.endsWith(":")
        && !value.endsWith(" ")
        && !value.startsWith("- ")
        && !value.equals("-")
        && RESOLVER.resolve(NodeId.scalar, value, true).equals(Tag.STR);
  }

  /** JSON's escapes, which YAML's double-quoted style reads the same. */
  static String doubleQuoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** {@code n} spaces. */
  static String pad(int n) {
    return " ".repeat(Math.max(0, n));
  }

  /** The items of a sequence node, or none. */
  static List<Node> items(Node node) {
    return YamlTree.items(node);
  }
}
