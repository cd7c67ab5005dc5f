package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.RuntimeSection;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import java.util.List;

/**
 * One runtime the operator tunes: its section of the policy, how a workload opts its containers in,
 * and the env a container of this runtime wants under a policy. Everything else (which container is
 * which, valueFrom, probes, the record of the user's values, give-back, patches, warnings, status,
 * Events, the CRD's schema for the section, the webhook's match conditions) is shared and knows
 * nothing of the runtime. The profiles are listed in {@link RuntimeProfiles#ALL}; a new runtime is
 * one implementation and its line there.
 */
public interface RuntimeProfile extends RuntimeSection {

  /** The annotations' prefix; every opt-in is {@code runtimepolicy.io/<name>-tuning}. */
  String PREFIX = "runtimepolicy.io/";

  /** The name status reports ({@code ContainerResult.runtime}): {@code Java}, {@code Go}. */
  String runtime();

  /**
   * Whether this runtime combines with a language runtime on one container ({@code openmp}), rather
   * than being the one runtime of its containers ({@code java}, {@code go}, ...).
   */
  default boolean addOn() {
    return false;
  }

  /** The workload annotation that opts in with {@code "enabled"}. */
  default String tuningAnnotation() {
    return PREFIX + name() + "-tuning";
  }

  /** The annotation naming this runtime's containers. */
  default String containersAnnotation() {
    return PREFIX + name() + "-containers";
  }

  /** This runtime's settings from its section of the spec; null takes every default. */
  RuntimeSettings resolve(ProcessorSpec section);

  /** How processors are computed for this runtime, also for a container left alone. */
  default ProcessorRules processors(PolicySettings settings) {
    return settings.runtime(this, RuntimeSettings.class).processors();
  }

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
