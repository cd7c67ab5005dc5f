package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;

/**
 * Inject mode on one pod: the same plan as for a workload ({@link Tuning#plan}), applied to the
 * pod's own spec and annotations at its creation, plus the {@link Annotations#INJECTED_LABEL} mark.
 * A running pod is current when that plan, computed again, would change nothing in it.
 */
public final class Injection {

  /** The value of {@link Annotations#INJECTED_LABEL}. */
  public static final String MARK = "true";

  private Injection() {}

  /** What the webhook sets in a pod under admission. */
  public static TuningPlan plan(
      PolicySettings settings,
      String policy,
      Map<String, String> annotations,
      Map<String, String> labels,
      PodSpec spec) {
    TuningPlan plan = Tuning.plan(settings, policy, annotations, spec, Stored.NOTHING);
    boolean marked = labels != null && MARK.equals(labels.get(Annotations.INJECTED_LABEL));
    // A withheld pod is not injected: marking it would count it as running the policy's values.
    return marked || plan.withheld() ? plan : plan.withLabel(Annotations.INJECTED_LABEL, MARK);
  }

  /**
   * A workload under an Inject policy opts in on its own metadata: its pods never see the
   * annotations, so nothing is injected.
   */
  public static Finding optInOnWorkload() {
    return Finding.notice(
        Reasons.INJECT_OPT_IN_ON_WORKLOAD,
        null,
        "Inject mode: move the runtimepolicy.io/ annotations to spec.template.metadata.annotations");
  }

  /** Whether a pod carries what the policy computes now; false means it is stale. */
  public static boolean current(
      PolicySettings settings, String policy, Map<String, String> annotations, PodSpec spec) {
    return !Tuning.plan(settings, policy, annotations, spec).changes();
  }
}
