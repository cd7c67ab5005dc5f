package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;

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
  public CronJob withTemplate(ObjectMeta metadata, PodTemplateSpec template) {
    CronJob workload = new CronJob();
    workload.setMetadata(metadata);
    if (template != null) {
      JobSpec job = new JobSpec();
      job.setTemplate(template);
      JobTemplateSpec jobTemplate = new JobTemplateSpec();
      jobTemplate.setSpec(job);
      CronJobSpec spec = new CronJobSpec();
      spec.setJobTemplate(jobTemplate);
      workload.setSpec(spec);
    }
    return workload;
  }

  @Override
  public String podSpecPointer() {
    return "/spec/jobTemplate/spec/template/spec";
  }
}
