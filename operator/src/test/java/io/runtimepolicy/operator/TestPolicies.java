package io.runtimepolicy.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The generated CRD and RuntimePolicies as the ITs need them. */
public final class TestPolicies {

  private TestPolicies() {}

  /** Applies the CRD the build generated and waits until the API server serves it. */
  public static void installCrd(KubernetesClient client) {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            TestPolicies.class.getResourceAsStream(
                "/META-INF/fabric8/runtimepolicies.runtimepolicy.io-v1.yml"),
            CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.resources(RuntimePolicy.class).inAnyNamespace().list() != null);
  }

  /** Creates policy {@code name} in {@code ns} with {@code spec} in YAML flow style, e.g. "{}". */
  public static void create(KubernetesClient client, String ns, String name, String spec) {
    client
        .resource(
            """
            apiVersion: runtimepolicy.io/v1alpha1
            kind: RuntimePolicy
            metadata: {name: %s, namespace: %s}
            spec: %s
            """
                .formatted(name, ns, spec))
        .create();
  }

  /**
   * Edits the spec of policy {@code name} in {@code ns} (read, change, update), read again when the
   * operator's status write came in between (409), as {@code kubectl edit} has its user do.
   */
  public static void editSpec(
      KubernetesClient client, String ns, String name, Consumer<RuntimePolicySpec> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(RuntimePolicy.class)
            .inNamespace(ns)
            .withName(name)
            .edit(
                p -> {
                  change.accept(p.getSpec());
                  return p;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** The policy's status; fails when the policy or its status is not there yet. */
  public static RuntimePolicyStatus status(KubernetesClient client, String ns, String name) {
    RuntimePolicy p = client.resources(RuntimePolicy.class).inNamespace(ns).withName(name).get();
    assertThat(p).as("RuntimePolicy %s/%s", ns, name).isNotNull();
    assertThat(p.getStatus()).as("status of %s/%s", ns, name).isNotNull();
    return p.getStatus();
  }

  /** The policy's results; empty while it has none, failing while it has no status. */
  public static List<WorkloadResult> results(KubernetesClient client, String ns, String name) {
    List<WorkloadResult> results = status(client, ns, name).getResults();
    return results == null ? List.of() : results;
  }
}
