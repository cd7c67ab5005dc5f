package io.runtimepolicy.operator.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Deployment annotations of the product contract, plus the operator's own marker. */
public final class Annotations {

  /** {@code "enabled"} opts a Deployment in; any other value, or none, means not governed. */
  public static final String JAVA_TUNING = "runtimepolicy.io/java-tuning";

  /** The RuntimePolicy in the same namespace that governs the Deployment. */
  public static final String POLICY = "runtimepolicy.io/policy";

  /** The app's HTTP read timeout; overrides the policy's {@code probes.appReadTimeout}. */
  public static final String APP_READ_TIMEOUT = "runtimepolicy.io/app-read-timeout";

  /** Comma-separated container names to govern; default every regular container. */
  public static final String CONTAINERS = "runtimepolicy.io/containers";

  /** Written by the operator next to the flags it manages: the policy name. */
  public static final String TUNED_BY = "runtimepolicy.io/tuned-by";

  /** The policy name when {@link #POLICY} is absent or blank. */
  public static final String DEFAULT_POLICY = "default";

  private static final String ENABLED = "enabled";

  private Annotations() {}

  /**
   * A Deployment is governed when {@link #JAVA_TUNING} is exactly {@code "enabled"}: no trimming,
   * no case folding, so what the user sees in the manifest is what the operator matches.
   */
  public static boolean isGoverned(Map<String, String> annotations) {
    return annotations != null && ENABLED.equals(annotations.get(JAVA_TUNING));
  }

  /** The {@link #POLICY} value trimmed, or {@link #DEFAULT_POLICY} when it is absent or blank. */
  public static String policyName(Map<String, String> annotations) {
    String name = annotations == null ? null : annotations.get(POLICY);
    return name == null || name.isBlank() ? DEFAULT_POLICY : name.trim();
  }

  /** The {@link #policyName} of a governed Deployment; empty when it is not governed. */
  public static Optional<String> governingPolicy(Map<String, String> annotations) {
    return isGoverned(annotations) ? Optional.of(policyName(annotations)) : Optional.empty();
  }

  /**
   * The container names of {@link #CONTAINERS}: split on commas, trimmed, blanks and repeats
   * dropped, in the order written. Empty when the annotation is absent or names nothing, which
   * means every regular container.
   */
  public static List<String> containerNames(Map<String, String> annotations) {
    String value = annotations == null ? null : annotations.get(CONTAINERS);
    List<String> names = new ArrayList<>();
    if (value == null) {
      return names;
    }
    for (String part : value.split(",", -1)) {
      String name = part.trim();
      if (!name.isEmpty() && !names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }
}
