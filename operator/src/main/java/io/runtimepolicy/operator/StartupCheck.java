package io.runtimepolicy.operator;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails fast with one clear line instead of an informer retrying forever: the CRD must be installed
 * and RBAC must allow the watches the operator starts.
 */
public final class StartupCheck {

  private StartupCheck() {}

  /** Returns a problem to report, or null when the operator can start (Inject not enabled). */
  public static String problem(KubernetesClient client) {
    return problem(client, false, false);
  }

  /**
   * {@code injectEnabled}: the operator also watches the pods its Pod webhook marked; {@code
   * listsPods}: it lists a namespace's pods to find the stale ones of its workloads.
   */
  public static String problem(KubernetesClient client, boolean injectEnabled, boolean listsPods) {
    try {
      client
          .resources(RuntimePolicy.class)
          .inAnyNamespace()
          .list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return "the RuntimePolicy CRD is not installed: kubectl apply --server-side -f helm/runtime-policy-operator/crds/";
      }
      if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
        return "cannot reach the API server at " + client.getMasterUrl() + ": " + e.getMessage();
      }
    }
    List<String[]> checks = new ArrayList<>();
    checks.add(new String[] {"runtimepolicy.io", "runtimepolicies", "list"});
    checks.add(new String[] {"runtimepolicy.io", "runtimepolicies", "watch"});
    // Every governed kind has an informer, and one that cannot list stops the operator's start.
    for (WorkloadKind<?> kind : WorkloadKinds.all()) {
      checks.add(new String[] {kind.group(), kind.plural(), "list"});
      checks.add(new String[] {kind.group(), kind.plural(), "watch"});
    }
    if (injectEnabled || listsPods) {
      checks.add(new String[] {"", "pods", "list"});
    }
    if (injectEnabled) {
      checks.add(new String[] {"", "pods", "watch"});
    }
    for (String[] check : checks) {
      if (!allowed(client, check[0], check[1], check[2])) {
        return "RBAC forbids "
            + check[2]
            + " on "
            + check[1]
            + (check[0].isEmpty() ? "" : "." + check[0])
            + " for this identity: install the chart's ClusterRole or grant it";
      }
    }
    return null;
  }

  private static boolean allowed(
      KubernetesClient client, String group, String resource, String verb) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withGroup(group)
            .withResource(resource)
            .withVerb(verb)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }
}
