package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.runtimepolicy.operator.workload.WorkloadKind;

/**
 * The operator's only write to a workload: an empty merge patch. It changes nothing by itself; the
 * mutating webhook, which sees it like any other UPDATE, sets the plan's values in it. So the
 * stored object is exactly what admission of the user's own write would have produced, and field
 * ownership stays where it was: the env values remain the user's (or no one's), never the
 * operator's, and the user's next server-side apply conflicts with nothing.
 */
final class WorkloadWriter {

  static final String FIELD_MANAGER = "runtime-policy-operator";

  private static final PatchContext EMPTY_MERGE =
      new PatchContext.Builder()
          .withPatchType(PatchType.JSON_MERGE)
          .withFieldManager(FIELD_MANAGER)
          .build();

  private final KubernetesClient client;

  WorkloadWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Has admission run on the workload as it is stored; returns the object after admission. */
  <T extends HasMetadata> T admitAgain(WorkloadKind<T> kind, HasMetadata workload) {
    return client
        .resources(kind.type())
        .inNamespace(workload.getMetadata().getNamespace())
        .withName(workload.getMetadata().getName())
        .patch(EMPTY_MERGE, "{}");
  }
}
