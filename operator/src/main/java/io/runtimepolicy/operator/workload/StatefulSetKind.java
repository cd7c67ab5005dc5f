package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;

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
  public StatefulSet withTemplate(ObjectMeta metadata, PodTemplateSpec template) {
    StatefulSet workload = new StatefulSet();
    workload.setMetadata(metadata);
    if (template != null) {
      StatefulSetSpec spec = new StatefulSetSpec();
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
