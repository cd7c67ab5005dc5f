package io.runtimepolicy.operator.check;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runtimepolicy.operator.workload.WorkloadKind;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One governed-kind object found in an input (a document, or an item of a {@code List}).
 *
 * @param source the input it is in
 * @param node its YAML node, with the marks {@code fix} splices at
 * @param kind its kind: one the operator governs, or Pod (Inject mode)
 * @param workload the object as the webhook would receive it
 */
record Manifest(Source source, Node node, WorkloadKind<?> kind, HasMetadata workload) {

  /** The line the object starts on. */
  int line() {
    return YamlTree.line(node);
  }

  /** The pod spec's node, or null when the object has none. */
  Node podSpec() {
    return YamlTree.at(node, kind.podSpecPointer());
  }

  /** The line of the first container named {@code name}, or the object's line. */
  int containerLine(String name) {
    Node container = container(name);
    return container == null ? line() : YamlTree.line(container);
  }

  /** The first container of that name (the one the engine reads); null if none. */
  Node container(String name) {
    if (name == null) {
      return null;
    }
    for (Node c : YamlTree.items(YamlTree.get(podSpec(), "containers"))) {
      if (name.equals(YamlTree.text(YamlTree.get(c, "name")))) {
        return c;
      }
    }
    return null;
  }
}
