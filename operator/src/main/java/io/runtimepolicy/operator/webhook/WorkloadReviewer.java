package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runtimepolicy.operator.policy.Stored;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.util.List;
import java.util.Objects;

/** The policy engine as the admission webhook sees it. */
@FunctionalInterface
public interface WorkloadReviewer {

  /**
   * A governed kind's CREATE or UPDATE under admission.
   *
   * @param operation CREATE or UPDATE
   * @param storedRecord an UPDATE's old object's {@code runtimepolicy.io/managed-env}; null when it
   *     has none, and for a CREATE
   * @param subResource the subresource written ({@code resize}); null for the object itself
   * @param old a subresource write's object before it; null otherwise
   */
  record Subject(
      WorkloadKind<?> kind,
      HasMetadata workload,
      String namespace,
      String operation,
      String storedRecord,
      String subResource,
      HasMetadata old) {

    /** A write of the object itself. */
    public Subject(
        WorkloadKind<?> kind,
        HasMetadata workload,
        String namespace,
        String operation,
        String storedRecord) {
      this(kind, workload, namespace, operation, storedRecord, null, null);
    }

    /** A subject whose old object, if any, carries no record. */
    public Subject(WorkloadKind<?> kind, HasMetadata workload, String namespace, String operation) {
      this(kind, workload, namespace, operation, null);
    }

    /** What the API server held before this write. */
    public Stored stored() {
      return "CREATE".equals(operation) ? Stored.NOTHING : new Stored(true, storedRecord);
    }
  }

  /**
   * What to answer.
   *
   * @param warnings texts without the prefix
   * @param patch the plan to return as a JSONPatch; null for none
   */
  record Decision(List<String> warnings, TuningPlan patch) {

    public Decision {
      warnings = warnings == null ? List.of() : warnings.stream().filter(Objects::nonNull).toList();
    }

    /** Warnings and no patch. */
    public static Decision warn(List<String> warnings) {
      return new Decision(warnings, null);
    }
  }

  /** Must not be trusted not to throw. */
  Decision review(Subject subject);
}
