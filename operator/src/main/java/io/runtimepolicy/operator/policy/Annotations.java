package io.runtimepolicy.operator.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The workload annotations of the product contract, plus the operator's own two. */
public final class Annotations {

  /** {@code "enabled"} opts a workload in to JVM tuning; any other value, or none, does not. */
  public static final String JAVA_TUNING = "runtimepolicy.io/java-tuning";

  /** {@code "enabled"} opts a workload in to Go tuning (GOMAXPROCS, GOMEMLIMIT). */
  public static final String GO_TUNING = "runtimepolicy.io/go-tuning";

  /** With several runtimes enabled: the comma-separated names of the Java containers. */
  public static final String JAVA_CONTAINERS = "runtimepolicy.io/java-containers";

  /** With several runtimes enabled: the comma-separated names of the Go containers. */
  public static final String GO_CONTAINERS = "runtimepolicy.io/go-containers";

  /** The RuntimePolicy in the same namespace that governs the workload. */
  public static final String POLICY = "runtimepolicy.io/policy";

  /** The app's HTTP read timeout; overrides the policy's {@code probes.appReadTimeout}. */
  public static final String APP_READ_TIMEOUT = "runtimepolicy.io/app-read-timeout";

  /** Comma-separated container names to govern; default every regular container. */
  public static final String CONTAINERS = "runtimepolicy.io/containers";

  /** Written by the operator next to the values it manages: the policy name. */
  public static final String TUNED_BY = "runtimepolicy.io/tuned-by";

  /**
   * Written by the operator: per container and variable, the value it set and the user's own value
   * it replaced, so leaving gives back exactly what the user wrote ({@link ManagedEnv}).
   */
  public static final String MANAGED_ENV = "runtimepolicy.io/managed-env";

  /**
   * A label, not an annotation: Inject mode marks each pod its webhook saw with {@code "true"}, so
   * the operator can watch exactly those pods through a server-side label selector.
   */
  public static final String INJECTED_LABEL = "runtimepolicy.io/injected";

  /** The policy name when {@link #POLICY} is absent or blank. */
  public static final String DEFAULT_POLICY = "default";

  private Annotations() {}

  /**
   * A workload is governed when some {@code runtimepolicy.io/<name>-tuning} annotation is exactly
   * {@code "enabled"}: no trimming, no case folding, so what the user sees in the manifest is what
   * the operator matches. Any name, since a policy can declare runtimes of its own ({@code
   * spec.custom}); one its policy does not have is a finding, not silence. The chart's
   * matchConditions say the same in CEL.
   */
  public static boolean isGoverned(Map<String, String> annotations) {
    return annotations != null
        && annotations.entrySet().stream()
            .anyMatch(e -> RuntimeProfiles.isOptIn(e.getKey(), e.getValue()));
  }

  /** The {@link #POLICY} value trimmed, or {@link #DEFAULT_POLICY} when it is absent or blank. */
  public static String policyName(Map<String, String> annotations) {
    String name = annotations == null ? null : annotations.get(POLICY);
    return name == null || name.isBlank() ? DEFAULT_POLICY : name.trim();
  }

  /** The {@link #policyName} of a governed workload; empty when it is not governed. */
  public static Optional<String> governingPolicy(Map<String, String> annotations) {
    return isGoverned(annotations) ? Optional.of(policyName(annotations)) : Optional.empty();
  }

  /**
   * The policies a workload concerns: the one it names when governed, and the one whose values it
   * carries ({@link #TUNED_BY}). The one answer to "is this ours" for the cache, the event mapper
   * and the reconciler; the webhook's matchConditions in the chart say the same in CEL.
   */
  public static Set<String> concernedPolicies(Map<String, String> annotations) {
    Set<String> names = new LinkedHashSet<>(2);
    governingPolicy(annotations).ifPresent(names::add);
    String tunedBy = annotations == null ? null : annotations.get(TUNED_BY);
    if (tunedBy != null) {
      names.add(tunedBy);
    }
    return names;
  }

  /** Whether the operator must look at a workload at all: governed, or carrying its values. */
  public static boolean isRelevant(Map<String, String> annotations) {
    return !concernedPolicies(annotations).isEmpty()
        || (annotations != null && annotations.containsKey(MANAGED_ENV));
  }

  /**
   * The container names of {@link #CONTAINERS}: split on commas, trimmed, blanks and repeats
   * dropped, in the order written. Empty when the annotation is absent or names nothing, which
   * means every regular container.
   */
  public static List<String> containerNames(Map<String, String> annotations) {
    return names(annotations, CONTAINERS);
  }

  /** A comma-separated list of container names under {@code key}, as {@link #containerNames}. */
  public static List<String> names(Map<String, String> annotations, String key) {
    String value = annotations == null ? null : annotations.get(key);
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
