package io.runtimepolicy.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator's API client: what it reads has no {@code metadata.managedFields}. Nothing in the
 * operator reads them, and they are the largest part of most objects it lists: a start over 100,000
 * workloads parsed them into nested maps only to drop them. Leaving them out of an update keeps the
 * stored ones, and an apply must not carry them.
 */
final class OperatorClient {

  private OperatorClient() {}

  static KubernetesClient build() {
    return new KubernetesClientBuilder().withKubernetesSerialization(serialization()).build();
  }

  static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    return new KubernetesSerialization(mapper, true);
  }

  @JsonIgnoreProperties(value = "managedFields", allowGetters = true)
  private abstract static class WithoutManagedFields {}
}
