package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;

final class DeploymentKind implements WorkloadKind<Deployment> {

  @Override
  public String group() {
    return "apps";
  }

  @Override
  public String kind() {
    return "Deployment";
  }

  @Override
  public String plural() {
    return "deployments";
  }

  @Override
  public Class<Deployment> type() {
    return Deployment.class;
  }

  @Override
  public PodTemplateSpec podTemplate(Deployment workload) {
    return workload.getSpec() == null ? null : workload.getSpec().getTemplate();
  }

  @Override
  public Deployment withTemplate(ObjectMeta metadata, PodTemplateSpec template) {
    Deployment workload = new Deployment();
    workload.setMetadata(metadata);
    if (template != null) {
      DeploymentSpec spec = new DeploymentSpec();
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
