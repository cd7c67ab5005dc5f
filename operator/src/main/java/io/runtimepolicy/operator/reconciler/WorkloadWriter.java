package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.workload.WorkloadKind;

/**
 * The operator's only write to a workload: a server-side apply of nothing but its identity. It
 * changes nothing by itself (and needs no read first, so RBAC grants no get); the mutating webhook,
 * which sees it like any other UPDATE, sets the plan's values in it. So the stored object is
 * exactly what admission of the user's own write would have produced, and field ownership stays
 * where it was: the env values remain the user's (or no one's), never the operator's, and the
 * user's next server-side apply conflicts with nothing.
 */
final class WorkloadWriter {

  static final String FIELD_MANAGER = "runtime-policy-operator";

  private final KubernetesClient client;

  WorkloadWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Has admission run on the workload as it is stored; returns the object after admission. */
  <T extends HasMetadata> T admitAgain(WorkloadKind<T> kind, HasMetadata workload) {
    GenericKubernetesResource identity =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(kind.apiVersion())
            .withKind(kind.kind())
            .withNewMetadata()
            .withName(workload.getMetadata().getName())
            .withNamespace(workload.getMetadata().getNamespace())
            .endMetadata()
            .build();
    GenericKubernetesResource admitted =
        client.resource(identity).fieldManager(FIELD_MANAGER).serverSideApply();
    return client.getKubernetesSerialization().convertValue(admitted, kind.type());
  }
}
