package io.runtimepolicy.operator.policy;

import java.util.Set;

/**
 * The rules a governed workload is checked against, and which rule each {@link Finding} is about:
 * the one answer the status, the OpenReports Report and {@code runtime-policy check} share.
 */
public enum Rule {

  /**
   * The runtime sees what Kubernetes gives it: every managed value is what the policy computes from
   * the container's resources (processors, memory, the runtime's own variables).
   */
  RUNTIME_TUNING("runtime-tuning"),

  /** The liveness probe's timeoutSeconds is strictly below the app read timeout. */
  PROBE_TIMING("probe-timing");

  private static final Set<String> PROBE_REASONS =
      Set.of(Reasons.LIVENESS_TIMEOUT_TOO_LONG, Reasons.APP_READ_TIMEOUT_INVALID);

  private final String id;

  Rule(String id) {
    this.id = id;
  }

  /** The rule's name in Reports and in {@code check}'s output, e.g. {@code probe-timing}. */
  public String id() {
    return id;
  }

  /**
   * The rule a finding of {@code reason} is about: the probe timing for {@code
   * LivenessTimeoutTooLong} and {@code AppReadTimeoutInvalid}, the runtime tuning for every other
   * reason (the quantities, the runtimes, the record, the writes and Inject's pods).
   */
  public static Rule of(String reason) {
    return PROBE_REASONS.contains(reason) ? PROBE_TIMING : RUNTIME_TUNING;
  }
}
