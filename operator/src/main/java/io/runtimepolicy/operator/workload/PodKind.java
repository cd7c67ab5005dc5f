package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * A Pod as Inject mode sees it at its creation: its own metadata and spec play the pod template, so
 * the engine and the JSONPatch work on it as on any workload. Not a governed kind of {@link
 * WorkloadKinds#all()}: no informer watches every pod, and the operator never writes one.
 */
public final class PodKind implements WorkloadKind<Pod> {

  static final PodKind INSTANCE = new PodKind();

  private PodKind() {}

  @Override
  public String group() {
    return "";
  }

  @Override
  public String kind() {
    return "Pod";
  }

  @Override
  public String plural() {
    return "pods";
  }

  @Override
  public Class<Pod> type() {
    return Pod.class;
  }

  @Override
  public PodTemplateSpec podTemplate(Pod pod) {
    return new PodTemplateSpec(pod.getMetadata(), pod.getSpec());
  }

  // The template's metadata is the pod's own, so only the given metadata is kept.
  @Override
  public Pod withTemplate(ObjectMeta metadata, PodTemplateSpec template) {
    Pod pod = new Pod();
    pod.setMetadata(metadata);
    if (template != null) {
      pod.setSpec(template.getSpec());
    }
    return pod;
  }

  @Override
  public String podSpecPointer() {
    return "/spec";
  }

  // A running pod's env cannot change: it is set at its CREATE or never.
  @Override
  public boolean templateMutable() {
    return false;
  }

  // The core group has no name: "v1", not "/v1".
  @Override
  public String apiVersion() {
    return version();
  }
}
