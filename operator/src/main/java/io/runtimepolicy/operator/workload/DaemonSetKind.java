package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;

final class DaemonSetKind implements WorkloadKind<DaemonSet> {

  @Override
  public String group() {
    return "apps";
  }

  @Override
  public String kind() {
    return "DaemonSet";
  }

  @Override
  public String plural() {
    return "daemonsets";
  }

  @Override
  public Class<DaemonSet> type() {
    return DaemonSet.class;
  }

  @Override
  public PodTemplateSpec podTemplate(DaemonSet workload) {
    return workload.getSpec() == null ? null : workload.getSpec().getTemplate();
  }

  @Override
  public DaemonSet withTemplate(ObjectMeta metadata, PodTemplateSpec template) {
    DaemonSet workload = new DaemonSet();
    workload.setMetadata(metadata);
    if (template != null) {
      DaemonSetSpec spec = new DaemonSetSpec();
      spec.setTemplate(template);
      workload.setSpec(spec);
    }
    return workload;
  }

  @Override
  public String podSpecPointer() {
    return "/spec/template/spec";
  }
}
