package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

final class JobKind implements WorkloadKind<Job> {

  @Override
  public String group() {
    return "batch";
  }

  @Override
  public String kind() {
    return "Job";
  }

  @Override
  public String plural() {
    return "jobs";
  }

  @Override
  public Class<Job> type() {
    return Job.class;
  }

  @Override
  public PodTemplateSpec podTemplate(Job workload) {
    return workload.getSpec() == null ? null : workload.getSpec().getTemplate();
  }

  @Override
  public Job withTemplate(ObjectMeta metadata, PodTemplateSpec template) {
    Job workload = new Job();
    workload.setMetadata(metadata);
    if (template != null) {
      JobSpec spec = new JobSpec();
      spec.setTemplate(template);
      workload.setSpec(spec);
    }
    return workload;
  }

  @Override
  public String podSpecPointer() {
    return "/spec/template/spec";
  }

  // The API server rejects any change to spec.template of an existing Job.
  @Override
  public boolean templateMutable() {
    return false;
  }
}
