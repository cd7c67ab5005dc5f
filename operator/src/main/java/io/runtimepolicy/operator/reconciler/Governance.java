package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which policy governs a workload, the same answer for the webhook and the reconciler: it opts in
 * and names a policy that exists; or it names {@code default}, which the operator creates from the
 * configured defaults when missing, so those apply until it exists. A named policy that does not
 * exist governs nothing: the workload is not tuned, and what was set goes back. Neither does any
 * policy outside the watched namespaces.
 */
public final class Governance {

  /** The governing policy's name and its settings. */
  public record Governing(String policy, PolicySettings settings) {}

  private final PolicyCache policies;
  private final RuntimePolicySpec defaults;
  private final Predicate<String> watched;

  /** {@code watched}: whether the operator governs a namespace at all. */
  public Governance(PolicyCache policies, RuntimePolicySpec defaults, Predicate<String> watched) {
    this.policies = policies;
    this.defaults = defaults;
    this.watched = watched;
  }

  /** Whether the policies are known yet: the controller has started its cache. */
  public boolean ready() {
    return policies.isReady();
  }

  public Optional<Governing> of(String namespace, Map<String, String> annotations) {
    if (!watched.test(namespace)) {
      return Optional.empty();
    }
    return Annotations.governingPolicy(annotations).flatMap(name -> policy(namespace, name));
  }

  private Optional<Governing> policy(String namespace, String name) {
    Optional<RuntimePolicySpec> spec = policies.get(namespace, name).map(RuntimePolicy::getSpec);
    if (spec.isEmpty() && Annotations.DEFAULT_POLICY.equals(name)) {
      spec = Optional.of(defaults);
    }
    return spec.map(s -> new Governing(name, PolicySettings.from(s)));
  }
}
