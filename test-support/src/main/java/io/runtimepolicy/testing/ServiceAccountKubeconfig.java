package io.runtimepolicy.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A kubeconfig that authenticates as a ServiceAccount with a token from the TokenRequest API, so a
 * test proves what that ServiceAccount's RBAC allows, not what the admin can do.
 */
public final class ServiceAccountKubeconfig {

  private ServiceAccountKubeconfig() {}

  public static String create(KubernetesClient admin, String namespace, String serviceAccount) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return Cli.kubeconfigYaml(admin.getConfiguration(), "token: " + token, namespace);
  }
}
