package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.GoSpec;

/**
 * The {@code go} section of a policy with every default resolved.
 *
 * @param processors how GOMAXPROCS is computed
 * @param memoryLimitPercent GOMEMLIMIT's share of the memory limit, 1 to 100; null: not managed
 * @param leaveLimitToRuntime true: a container with a CPU limit gets no GOMAXPROCS
 */
public record GoSettings(
    ProcessorRules processors, Integer memoryLimitPercent, boolean leaveLimitToRuntime)
    implements RuntimeSettings {

  public static final String GOMAXPROCS = "GOMAXPROCS";
  public static final String GOMEMLIMIT = "GOMEMLIMIT";

  /**
   * A null processors takes the defaults; a percentage outside 1..100 (the CRD schema forbids it,
   * but schemas can be bypassed) is treated as not managed rather than written into GOMEMLIMIT.
   */
  public GoSettings {
    processors =
        processors == null ? new ProcessorRules(null, null, 1, null, GOMAXPROCS) : processors;
    memoryLimitPercent = RuntimeSettings.wholePercent(memoryLimitPercent);
  }

  /** LimitOrRequest, Ceil, 1, no cap, GOMEMLIMIT at 90 %, GOMAXPROCS also for limited ones. */
  public static GoSettings defaults() {
    return from(new GoSpec());
  }

  /** The settings of a {@code go} section; null takes every default. */
  public static GoSettings from(GoSpec spec) {
    GoSpec go = spec == null ? new GoSpec() : spec;
    return new GoSettings(
        ProcessorRules.of(go, GOMAXPROCS),
        go.getMemoryLimitPercent(),
        Boolean.TRUE.equals(go.getLeaveLimitToRuntime()));
  }
}
