package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.List;

/** Probe timing checked against the app's own read timeout. Probes are never changed. */
public final class ProbeChecks {

  /** What the API server defaults an unset (or 0) timeoutSeconds to. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 1;

  private ProbeChecks() {}

  /**
   * The liveness probe's effective timeoutSeconds: {@link #DEFAULT_TIMEOUT_SECONDS} when unset or
   * below 1, as the API server defaults it; null when the container has no liveness probe.
   */
  public static Integer livenessTimeoutSeconds(Container container) {
    Probe probe = container == null ? null : container.getLivenessProbe();
    if (probe == null) {
      return null;
    }
    Integer seconds = probe.getTimeoutSeconds();
    return seconds == null || seconds < 1 ? DEFAULT_TIMEOUT_SECONDS : seconds;
  }

  /**
   * The liveness probe's timeoutSeconds (1 when unset) must be strictly below the app read timeout:
   * at or above it, the kubelet gives up on a slow-but-alive server no sooner than the app itself
   * would. A failure is one Violation {@code LivenessTimeoutTooLong}, e.g. {@code "container app:
   * liveness probe timeoutSeconds 10 is not below the app read timeout 5s"}. No liveness probe, or
   * no read timeout, gives no finding.
   *
   * @param appReadTimeoutText the read timeout as the user wrote it, for the message
   */
  public static List<Finding> check(
      Container container, Duration appReadTimeout, String appReadTimeoutText) {
    Integer seconds = livenessTimeoutSeconds(container);
    if (seconds == null || appReadTimeout == null) {
      return List.of();
    }
    if (Duration.ofSeconds(seconds).compareTo(appReadTimeout) < 0) {
      return List.of();
    }
    String detail =
        "liveness probe timeoutSeconds "
            + seconds
            + " is not below the app read timeout "
            + appReadTimeoutText;
    return List.of(
        Finding.violation(Reasons.LIVENESS_TIMEOUT_TOO_LONG, container.getName(), detail));
  }
}
