package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * One runtime the operator tunes: how a workload opts its containers in, and the env a container of
 * this runtime wants under a policy. Everything else (which container is which, valueFrom, probes,
 * the record of the user's values, give-back, patches, warnings, status, Events) is shared and
 * knows nothing of the runtime. The profiles are listed in {@link RuntimeProfiles#ALL}; a new
 * runtime is one implementation, its line there, its status fields, and the chart's matchConditions
 * line for its annotation.
 */
public interface RuntimeProfile {

  /** The name status reports ({@code ContainerResult.runtime}): {@code Java}, {@code Go}. */
  String runtime();

  /** The workload annotation that opts in with {@code "enabled"}. */
  String tuningAnnotation();

  /** The annotation naming this runtime's containers when several runtimes are enabled. */
  String containersAnnotation();

  /** How processors are computed for this runtime, also for a container left alone. */
  ProcessorRules processors(PolicySettings settings);

  /**
   * Every variable this runtime may manage under {@code settings}: one of them set through
   * valueFrom leaves the container alone.
   */
  List<String> variables(PolicySettings settings);

  /**
   * Whether this runtime could have written {@code entry.set()} over {@code entry.user()} in {@code
   * variable}, under any policy: a {@link ManagedEnv} entry that no runtime could have written
   * (copied, forged, hand-edited) is ignored, so a record never rewrites or removes a variable the
   * operator does not manage.
   */
  boolean wrote(String variable, ManagedEnv.Entry entry);

  /** The env one container of this runtime wants, with the findings that explain it. */
  RuntimeTuning tune(Container container, PolicySettings settings);
}
