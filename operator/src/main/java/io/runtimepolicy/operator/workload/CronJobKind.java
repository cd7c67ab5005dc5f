package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/** The Jobs a CronJob creates copy its job template, so tuning the template tunes every run. */
final class CronJobKind implements WorkloadKind<CronJob> {

  @Override
  public String group() {
    return "batch";
  }

  @Override
  public String kind() {
    return "CronJob";
  }

  @Override
  public String plural() {
    return "cronjobs";
  }

  @Override
  public Class<CronJob> type() {
    return CronJob.class;
  }

  @Override
  public PodTemplateSpec podTemplate(CronJob workload) {
    var spec = workload.getSpec();
    if (spec == null || spec.getJobTemplate() == null || spec.getJobTemplate().getSpec() == null) {
      return null;
    }
    return spec.getJobTemplate().getSpec().getTemplate();
  }

  @Override
  public String podSpecPointer() {
    return "/spec/jobTemplate/spec/template/spec";
  }
}
