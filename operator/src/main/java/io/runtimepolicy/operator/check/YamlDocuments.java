package io.runtimepolicy.operator.check;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The workloads in one input: every YAML document (JSON is YAML too), and every item of a {@code
 * kind: List} (or {@code DeploymentList}, as {@code kubectl get -o yaml} prints). Documents that
 * are not a governed kind or a Pod (Services, ConfigMaps, empty documents, Helm's comments) are
 * counted and skipped.
 */
final class YamlDocuments {

  /**
   * What a source holds.
   *
   * @param workloads its governed-kind objects and Pods
   * @param policies its RuntimePolicies, which govern the check like {@code --policy} files
   * @param skipped how many other documents it had (policies included)
   */
  record Parsed(List<Manifest> workloads, List<RuntimePolicy> policies, int skipped) {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private YamlDocuments() {}

  static Parsed parse(Source source) throws Unreadable.Exception {
    Parsed parsed = new Parsed(new ArrayList<>(), new ArrayList<>(), 0);
    int[] skipped = {0};
    for (Node document : nodes(source)) {
      collect(source, document, parsed, skipped);
    }
    return new Parsed(parsed.workloads(), parsed.policies(), skipped[0]);
  }

  /** Every non-empty document of a source, composed but not yet read. */
  static List<Node> nodes(Source source) throws Unreadable.Exception {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    List<Node> documents = new ArrayList<>();
    try {
      for (Node document : new Yaml(options).composeAll(new StringReader(source.text()))) {
        if (document != null) {
          documents.add(document);
        }
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw unreadable(source, mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + problem);
    } catch (YAMLException e) {
      throw unreadable(source, 0, "not valid YAML: " + e.getMessage());
    }
    return documents;
  }

  private static void collect(Source source, Node node, Parsed parsed, int[] skipped)
      throws Unreadable.Exception {
    if (!(node instanceof MappingNode)) {
      if (YamlTree.text(node) != null || !(node instanceof ScalarNode)) {
        skipped[0]++; // an empty document (a Helm template that rendered nothing) is no document
      }
      return;
    }
    String apiVersion = YamlTree.text(YamlTree.get(node, "apiVersion"));
    String kind = YamlTree.text(YamlTree.get(node, "kind"));
    Node items = YamlTree.get(node, "items");
    if (kind != null && kind.endsWith("List") && items != null) {
      for (Node item : YamlTree.items(items)) {
        collect(source, item, parsed, skipped);
      }
      return;
    }
    Optional<WorkloadKind<?>> governed = kindOf(apiVersion, kind);
    if (governed.isEmpty()) {
      if (CheckPolicies.isPolicy(node)) {
        parsed.policies().add(CheckPolicies.policy(source, node));
      }
      skipped[0]++;
      return;
    }
    parsed
        .workloads()
        .add(new Manifest(source, node, governed.get(), read(source, node, governed.get())));
  }

  private static Optional<WorkloadKind<?>> kindOf(String apiVersion, String kind) {
    if (apiVersion == null || kind == null) {
      return Optional.empty();
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    return WorkloadKinds.reviewed(group, version, kind);
  }

  private static HasMetadata read(Source source, Node node, WorkloadKind<?> kind)
      throws Unreadable.Exception {
    try {
      HasMetadata workload = SERIALIZATION.convertValue(YamlTree.toObject(node), kind.type());
      if (workload.getMetadata() == null) {
        throw unreadable(source, YamlTree.line(node), "a " + kind.kind() + " without metadata");
      }
      Optional<Unreadable> bad = badContainer(source, node, kind);
      if (bad.isPresent()) {
        throw new Unreadable.Exception(bad.get());
      }
      return workload;
    } catch (IllegalArgumentException e) {
      throw unreadable(
          source, YamlTree.line(node), "not a valid " + kind.kind() + ": " + firstLine(e));
    }
  }

  /**
   * A container without a name, or with the name of an earlier one: the API server refuses both
   * (after admission, so the engine is never asked about them in a cluster, and reads only the
   * first container of a name).
   */
  private static Optional<Unreadable> badContainer(Source source, Node node, WorkloadKind<?> kind) {
    Node spec = YamlTree.at(node, kind.podSpecPointer());
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Node container : YamlTree.items(YamlTree.get(spec, "containers"))) {
      String name = YamlTree.text(YamlTree.get(container, "name"));
      if (name == null || !names.add(name)) {
        String problem =
            name == null ? "a container without a name" : "a second container named " + name;
        return Optional.of(new Unreadable(source.name(), YamlTree.line(container), problem));
      }
    }
    return Optional.empty();
  }

  /** Jackson's messages run over several lines; the first says what is wrong. */
  static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  private static Unreadable.Exception unreadable(Source source, int line, String message) {
    return new Unreadable.Exception(new Unreadable(source.name(), line, message));
  }
}
