package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * One kind of workload the operator governs: where its pod template lives and whether it may be
 * changed after creation. Adding a kind is one implementation of this and a line in {@link
 * WorkloadKinds}; the engine, the webhook and the reconciler only ever see this interface.
 *
 * @param <T> the fabric8 model class
 */
public interface WorkloadKind<T extends HasMetadata> {

  /** The API group, e.g. {@code apps}. */
  String group();

  /** Always v1 for the kinds governed today. */
  default String version() {
    return "v1";
  }

  /** The kind as the API names it, e.g. {@code StatefulSet}. */
  String kind();

  /** The resource plural, e.g. {@code statefulsets}, for RBAC and webhook rules. */
  String plural();

  Class<T> type();

  /** The pod template, or null when the object has none yet. */
  PodTemplateSpec podTemplate(T workload);

  /**
   * A new object of the kind with only {@code metadata} and, unless null, {@code template} as its
   * pod template: what the operator's cache keeps of a workload.
   */
  T withTemplate(ObjectMeta metadata, PodTemplateSpec template);

  /** JSON Pointer of the pod template's spec, e.g. {@code /spec/template/spec}. */
  String podSpecPointer();

  /**
   * Whether the pod template may change after creation. A Job's may not: it is tuned only by the
   * admission of its CREATE, and the reconciler reports instead of writing.
   */
  default boolean templateMutable() {
    return true;
  }

  /** {@code group/version}, e.g. {@code apps/v1}. */
  default String apiVersion() {
    return group() + "/" + version();
  }

  /** The pod template of {@code workload}, which must be of this kind. */
  default PodTemplateSpec podTemplateOf(HasMetadata workload) {
    return podTemplate(type().cast(workload));
  }
}
