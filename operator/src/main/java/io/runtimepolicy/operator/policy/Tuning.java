package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.runtimepolicy.operator.policy.TuningPlan.AnnotationEdit;
import io.runtimepolicy.operator.policy.TuningPlan.EnvEdit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The one computation of what the operator sets in a workload, for the webhook and reconciler. */
public final class Tuning {

  private Tuning() {}

  /**
   * The plan for a workload ({@code settings} null: it is not governed, so whatever the operator
   * set goes back):
   *
   * <ul>
   *   <li>A variable whose live value is the one the operator last set ({@link ManagedEnv}) is
   *       computed from the user's own value recorded there; any other live value is the user's
   *       (they wrote it since) and is computed from as it is.
   *   <li>Each variable a governed container's runtime wants ({@link WorkloadEvaluator}, any number
   *       per container) gets its desired value, and the record notes it with the user's own value
   *       (none when the variable was absent), unless the user's value already is the desired one:
   *       a compliant workload costs no write.
   *   <li>A recorded variable the operator no longer sets (not governed, container skipped or
   *       dropped from {@code runtimepolicy.io/containers}, another runtime or options variable)
   *       gets the user's value back, or loses its entry when the user had none; unless its live
   *       value is no longer the one the operator set, which means the user has replaced it.
   *   <li>{@link Annotations#MANAGED_ENV} holds the new record and {@link Annotations#TUNED_BY} the
   *       policy; both go when nothing is managed.
   * </ul>
   *
   * Pure and idempotent: the plan for a workload the plan was applied to changes nothing.
   */
  public static TuningPlan plan(
      PolicySettings settings, String policy, Map<String, String> annotations, PodSpec podSpec) {
    return plan(settings, policy, annotations, podSpec, Stored.with(annotations));
  }

  /**
   * The same for a write under admission, with what the API server held before it ({@code stored}):
   * which entries of the record it carries are acted on is {@link RecordCheck}'s, and a write that
   * drops the record (a {@code kubectl replace} of a copy without the annotations) keeps the stored
   * one, so the values it describes do not become the user's own.
   */
  public static TuningPlan plan(
      PolicySettings settings,
      String policy,
      Map<String, String> annotations,
      PodSpec podSpec,
      Stored stored) {
    Map<String, String> meta = annotations == null ? Map.of() : annotations;
    String sent = meta.get(Annotations.MANAGED_ENV);
    List<Finding> ignored = new ArrayList<>();
    ManagedEnv record =
        RecordCheck.written(ManagedEnv.parse(sent != null ? sent : stored.record()), ignored);
    Map<String, Container> containers = containers(podSpec);
    List<EnvEdit> env = new ArrayList<>();
    ManagedEnv.Builder next = ManagedEnv.builder();
    WorkloadEvaluation evaluation = null;
    if (settings != null) {
      evaluation =
          WorkloadEvaluator.evaluate(settings, meta, podSpec, userValues(record, containers));
    }
    if (!stored.exists()) {
      record = RecordCheck.governedBy(record, evaluation, ignored);
    }
    if (evaluation != null) {
      for (ContainerEvaluation c : evaluation.containers()) {
        ManagedEnv prior = record;
        c.desired()
            .forEach(
                (variable, desired) -> {
                  Optional<String> live = live(containers.get(c.name()), variable);
                  // Not Optional.map: a recorded user value of null (absent) must stay null.
                  Optional<ManagedEnv.Entry> replaced = replaced(prior, c.name(), variable, live);
                  String user = replaced.isPresent() ? replaced.get().user() : live.orElse(null);
                  // A user value that already is what the policy computes is theirs: no record.
                  if (!desired.equals(user)) {
                    next.put(c.name(), variable, new ManagedEnv.Entry(desired, user));
                  }
                  if (!desired.equals(live.orElse(null))) {
                    env.add(new EnvEdit(c.name(), variable, desired));
                  }
                });
      }
      evaluation = evaluation.withFindingsFirst(ignored);
    }
    ManagedEnv managed = next.build();
    giveBack(record, managed, containers, env);
    List<AnnotationEdit> edits = annotationEdits(meta, managed, policy);
    if (evaluation != null && AnnotationBudget.exceeded(meta, edits)) {
      return new TuningPlan(
          evaluation.withheld(AnnotationBudget.finding()),
          List.of(),
          List.of(),
          List.of(),
          ignored);
    }
    return new TuningPlan(evaluation, env, edits, List.of(), ignored);
  }

  /**
   * Per container and variable, the user's own value recorded where the live value is still the
   * operator's: the policy computes from that, not from its own earlier tuning. A HashMap, since a
   * user who had no value is a null value.
   */
  private static Map<String, Map<String, String>> userValues(
      ManagedEnv record, Map<String, Container> containers) {
    Map<String, Map<String, String>> userValues = new HashMap<>();
    record
        .containers()
        .forEach(
            (name, vars) ->
                vars.forEach(
                    (variable, entry) -> {
                      Container container = containers.get(name);
                      if (container != null
                          && replaced(record, name, variable, live(container, variable))
                              .isPresent()) {
                        userValues
                            .computeIfAbsent(name, n -> new HashMap<>())
                            .put(variable, entry.user());
                      }
                    }));
    return userValues;
  }

  /** The record's entry when the live value is still the one the operator set. */
  private static Optional<ManagedEnv.Entry> replaced(
      ManagedEnv record, String container, String variable, Optional<String> live) {
    return record
        .entry(container, variable)
        .filter(entry -> live.isPresent() && live.get().equals(entry.set()));
  }

  private static void giveBack(
      ManagedEnv record, ManagedEnv next, Map<String, Container> containers, List<EnvEdit> env) {
    record
        .containers()
        .forEach(
            (name, vars) ->
                vars.forEach(
                    (variable, entry) -> {
                      Container container = containers.get(name);
                      if (container != null
                          && next.entry(name, variable).isEmpty()
                          && replaced(record, name, variable, live(container, variable))
                              .isPresent()) {
                        env.add(new EnvEdit(name, variable, entry.user()));
                      }
                    }));
  }

  private static List<AnnotationEdit> annotationEdits(
      Map<String, String> meta, ManagedEnv managed, String policy) {
    List<AnnotationEdit> edits = new ArrayList<>(2);
    String record = managed.isEmpty() ? null : managed.toJson();
    if (!Objects.equals(record, meta.get(Annotations.MANAGED_ENV))) {
      edits.add(new AnnotationEdit(Annotations.MANAGED_ENV, record));
    }
    String tunedBy = managed.isEmpty() ? null : policy;
    if (!Objects.equals(tunedBy, meta.get(Annotations.TUNED_BY))) {
      edits.add(new AnnotationEdit(Annotations.TUNED_BY, tunedBy));
    }
    return edits;
  }

  private static Optional<String> live(Container container, String variable) {
    return container == null ? Optional.empty() : EnvVars.literal(container, variable);
  }

  private static Map<String, Container> containers(PodSpec podSpec) {
    Map<String, Container> byName = new LinkedHashMap<>();
    if (podSpec != null && podSpec.getContainers() != null) {
      for (Container container : podSpec.getContainers()) {
        if (container != null && container.getName() != null) {
          byName.putIfAbsent(container.getName(), container);
        }
      }
    }
    return byName;
  }
}
