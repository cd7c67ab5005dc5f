package io.runtimepolicy.operator.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A composed YAML document (SnakeYAML nodes, which keep where each value starts and ends in the
 * text) read as plain maps, lists and scalars, and walked by key.
 */
final class YamlTree {

  private YamlTree() {}

  /** The 1-based line a node starts on. */
  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  /** The value under {@code key} in a mapping; null when absent or {@code node} is no mapping. */
  static Node get(Node node, String key) {
    if (!(node instanceof MappingNode mapping)) {
      return null;
    }
    Node found = null;
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
        found = tuple.getValueNode(); // the last of a repeated key, as the parser keeps it
      }
    }
    return found;
  }

  /** The node at a JSON Pointer of mapping keys ({@code /spec/template/spec}); null if absent. */
  static Node at(Node root, String pointer) {
    Node node = root;
    for (String key : pointer.substring(1).split("/")) {
      node = get(node, key);
    }
    return node;
  }

  /** The last entry of an env list named {@code variable}, as the kubelet reads it; or null. */
  static Node lastNamed(Node env, String variable) {
    Node found = null;
    for (Node entry : YamlTree.items(env)) {
      if (variable.equals(YamlTree.text(YamlTree.get(entry, "name")))) {
        found = entry;
      }
    }
    return found;
  }

  /** The key node of {@code key} in a mapping; null when absent. */
  static Node key(Node mapping, String key) {
    if (!(mapping instanceof MappingNode m)) {
      return null;
    }
    Node found = null;
    for (NodeTuple tuple : m.getValue()) {
      if (key.equals(YamlTree.text(tuple.getKeyNode()))) {
        found = tuple.getKeyNode();
      }
    }
    return found;
  }

  /** A scalar's text; null for anything else. */
  static String text(Node node) {
    return node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())
        ? scalar.getValue()
        : null;
  }

  /** The items of a sequence; empty for anything else. */
  static List<Node> items(Node node) {
    return node instanceof SequenceNode seq ? seq.getValue() : List.of();
  }

  /**
   * The document as Jackson would read it: mappings, lists, and scalars by their resolved tag.
   * Aliases are followed; one that contains itself is refused.
   */
  static Object toObject(Node node) {
    return toObject(node, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static Object toObject(Node node, Set<Node> open) {
    if (node instanceof ScalarNode scalar) {
      return scalar(scalar);
    }
    if (!open.add(node)) {
      throw new IllegalArgumentException("a YAML alias refers to itself");
    }
    try {
      if (node instanceof SequenceNode seq) {
        List<Object> list = new ArrayList<>(seq.getValue().size());
        seq.getValue().forEach(item -> list.add(toObject(item, open)));
        return list;
      }
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple tuple : ((MappingNode) node).getValue()) {
        Object key = toObject(tuple.getKeyNode(), open);
        map.put(String.valueOf(key), toObject(tuple.getValueNode(), open));
      }
      return map;
    } finally {
      open.remove(node);
    }
  }

  // Integer where it fits, as Jackson reads JSON: fabric8's IntOrString takes nothing wider.
  private static Number integer(String digits) {
    BigInteger value =
        digits.startsWith("0x") ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
    if (value.bitLength() < Integer.SIZE) {
      return value.intValue();
    }
    return value.bitLength() < Long.SIZE ? (Number) value.longValue() : value;
  }

  private static Object scalar(ScalarNode scalar) {
    String value = scalar.getValue();
    Tag tag = scalar.getTag();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return Set.of("true", "yes", "on").contains(value.toLowerCase(java.util.Locale.ROOT));
    }
    try {
      if (Tag.INT.equals(tag)) {
        return integer(value.replace("_", ""));
      }
      if (Tag.FLOAT.equals(tag)) {
        return Double.valueOf(value.replace("_", ""));
      }
    } catch (NumberFormatException e) {
      return value; // 0o17, 1:30 (sexagesimal): Kubernetes fields never want these as numbers
    }
    return value;
  }
}
