package io.runtimepolicy.operator.check;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PolicyCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The policies a check runs under, through the operator's own {@link Governance}: a workload is
 * governed by the policy it names ({@code runtimepolicy.io/policy}, default {@code default}) when a
 * {@code --policy} file or the input itself holds one of that name (namespaces are not compared: a
 * check has no cluster to place them in); {@code default} is otherwise the chart's default policy,
 * built by {@link OperatorConfig} from the same {@code RUNTIMEPOLICY_DEFAULT_POLICY} variable the
 * chart sets (unset: the chart's default values); any other name governs nothing, as in a namespace
 * without that policy.
 */
final class CheckPolicies {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String DEFAULTS_PREFIX = OperatorConfig.PREFIX + "DEFAULT_";

  private CheckPolicies() {}

  /**
   * The governance of these policies (a later one of a name wins) and the defaults of {@code env}.
   */
  static Governance governance(List<RuntimePolicy> policies, Map<String, String> env)
      throws Unreadable.Exception {
    return new Governance(PolicyCache.of(policies), defaults(env), namespace -> true);
  }

  /** The chart's default policy, as the operator builds it from its environment. */
  static RuntimePolicySpec defaults(Map<String, String> env) throws Unreadable.Exception {
    Map<String, String> defaults =
        env.entrySet().stream()
            .filter(e -> e.getKey().startsWith(DEFAULTS_PREFIX))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    try {
      return OperatorConfig.fromEnv(defaults).defaultPolicy();
    } catch (IllegalArgumentException e) {
      throw new Unreadable.Exception(new Unreadable("environment", 0, e.getMessage()));
    }
  }

  /** The RuntimePolicies of a {@code --policy} file, which must hold nothing else. */
  static List<RuntimePolicy> read(Source file) throws Unreadable.Exception {
    List<RuntimePolicy> policies = new ArrayList<>();
    for (Node document : YamlDocuments.nodes(file)) {
      if (!isPolicy(document)) {
        String kind = YamlTree.text(YamlTree.get(document, "kind"));
        throw problem(file, document, "--policy: expected a RuntimePolicy, found kind " + kind);
      }
      policies.add(policy(file, document));
    }
    if (policies.isEmpty()) {
      throw new Unreadable.Exception(new Unreadable(file.name(), 0, "--policy: no RuntimePolicy"));
    }
    return policies;
  }

  static boolean isPolicy(Node document) {
    String apiVersion = YamlTree.text(YamlTree.get(document, "apiVersion"));
    return "RuntimePolicy".equals(YamlTree.text(YamlTree.get(document, "kind")))
        && apiVersion != null
        && apiVersion.startsWith(HasMetadata.getGroup(RuntimePolicy.class) + "/");
  }

  static RuntimePolicy policy(Source file, Node document) throws Unreadable.Exception {
    try {
      RuntimePolicy policy =
          SERIALIZATION.convertValue(YamlTree.toObject(document), RuntimePolicy.class);
      if (policy.getMetadata() == null || policy.getMetadata().getName() == null) {
        throw problem(file, document, "a RuntimePolicy without metadata.name");
      }
      return policy;
    } catch (IllegalArgumentException e) {
      throw problem(file, document, "not a valid RuntimePolicy: " + YamlDocuments.firstLine(e));
    }
  }

  private static Unreadable.Exception problem(Source file, Node document, String message) {
    return new Unreadable.Exception(new Unreadable(file.name(), YamlTree.line(document), message));
  }
}
