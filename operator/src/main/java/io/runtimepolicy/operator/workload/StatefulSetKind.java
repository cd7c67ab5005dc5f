package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

final class StatefulSetKind implements WorkloadKind<StatefulSet> {

  @Override
  public String group() {
    return "apps";
  }

  @Override
  public String kind() {
    return "StatefulSet";
  }

  @Override
  public String plural() {
    return "statefulsets";
  }

  @Override
  public Class<StatefulSet> type() {
    return StatefulSet.class;
  }

  @Override
  public PodTemplateSpec podTemplate(StatefulSet workload) {
    return workload.getSpec() == null ? null : workload.getSpec().getTemplate();
  }

  @Override
  public String podSpecPointer() {
    return "/spec/template/spec";
  }
}
