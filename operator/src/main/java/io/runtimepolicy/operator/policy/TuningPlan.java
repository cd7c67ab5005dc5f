package io.runtimepolicy.operator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator would change in one workload: the same plan whether the webhook turns it into a
 * JSONPatch of the user's own write or the reconciler has the webhook apply it.
 *
 * @param evaluation the workload against its policy; null when it is not governed (then the plan
 *     only gives back)
 * @param env env edits, in container order
 * @param annotations edits of the operator's own annotations
 * @param labels edits of the object's labels (only Inject's mark on a pod)
 * @param recordFindings the entries of the record it ignored ({@code ManagedEnvIgnored}), governed
 *     or not; a governed plan's evaluation has them too
 */
public record TuningPlan(
    WorkloadEvaluation evaluation,
    List<EnvEdit> env,
    List<AnnotationEdit> annotations,
    List<AnnotationEdit> labels,
    List<Finding> recordFindings) {

  /**
   * One env variable of one container.
   *
   * @param value the value to set; null removes the entry (it was not there before the operator)
   */
  public record EnvEdit(String container, String variable, String value) {}

  /**
   * One annotation of the workload's own metadata.
   *
   * @param value the value to set; null removes it
   */
  public record AnnotationEdit(String key, String value) {}

  public TuningPlan {
    env = List.copyOf(env);
    annotations = List.copyOf(annotations);
    labels = List.copyOf(labels);
    recordFindings = List.copyOf(recordFindings);
  }

  /** A plan that ignored nothing of the record. */
  public TuningPlan(
      WorkloadEvaluation evaluation,
      List<EnvEdit> env,
      List<AnnotationEdit> annotations,
      List<AnnotationEdit> labels) {
    this(evaluation, env, annotations, labels, List.of());
  }

  /** A plan that leaves labels alone. */
  public TuningPlan(
      WorkloadEvaluation evaluation, List<EnvEdit> env, List<AnnotationEdit> annotations) {
    this(evaluation, env, annotations, List.of());
  }

  /** This plan, also setting one label. */
  public TuningPlan withLabel(String key, String value) {
    List<AnnotationEdit> more = new ArrayList<>(labels);
    more.add(new AnnotationEdit(key, value));
    return new TuningPlan(evaluation, env, annotations, more, recordFindings);
  }

  /** This plan, telling what of the record it ignored. */
  public TuningPlan withRecordFindings(List<Finding> findings) {
    return new TuningPlan(evaluation, env, annotations, labels, findings);
  }

  /** Whether applying the plan changes anything: if not, the workload costs no write. */
  public boolean changes() {
    return !env.isEmpty() || !annotations.isEmpty() || !labels.isEmpty();
  }

  /** Whether the plan was withheld because its record would not fit ({@link AnnotationBudget}). */
  public boolean withheld() {
    return evaluation != null
        && evaluation.findings().stream()
            .anyMatch(f -> Reasons.ANNOTATIONS_TOO_LARGE.equals(f.reason()));
  }

  /** Whether the workload is governed: there is an evaluation. */
  public boolean governed() {
    return evaluation != null;
  }
}
