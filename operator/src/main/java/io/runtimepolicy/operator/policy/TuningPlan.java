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
 */
public record TuningPlan(
    WorkloadEvaluation evaluation,
    List<EnvEdit> env,
    List<AnnotationEdit> annotations,
    List<AnnotationEdit> labels) {

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
    return new TuningPlan(evaluation, env, annotations, more);
  }

  /** Whether applying the plan changes anything: if not, the workload costs no write. */
  public boolean changes() {
    return !env.isEmpty() || !annotations.isEmpty() || !labels.isEmpty();
  }

  /** Whether the workload is governed: there is an evaluation. */
  public boolean governed() {
    return evaluation != null;
  }
}
