package io.runtimepolicy.operator.policy;

/** The {@link Finding#reason()} values: CamelCase, stable, safe to match on in Events. */
public final class Reasons {

  /** No CPU quantity the policy may use; the container is skipped, nothing is guessed. */
  public static final String CPU_QUANTITY_MISSING = "CpuQuantityMissing";

  /** The CPU quantity is not a valid, non-negative Kubernetes quantity. */
  public static final String CPU_QUANTITY_INVALID = "CpuQuantityInvalid";

  /** The memory limit is not a valid, positive quantity; MaxRAMPercentage is not managed. */
  public static final String MEMORY_QUANTITY_INVALID = "MemoryQuantityInvalid";

  /**
   * The memory limit is positive but below 1Mi ({@code 1}, {@code 100m}): a share of it would be a
   * zero or near-zero GOMEMLIMIT, under which the Go GC runs almost constantly, so nothing is set.
   */
  public static final String MEMORY_LIMIT_TOO_SMALL = "MemoryLimitTooSmall";

  /** A Go container has no memory limit, so GOMEMLIMIT is not set. */
  public static final String MEMORY_LIMIT_MISSING = "MemoryLimitMissing";

  /**
   * Several runtimes are enabled and a container is named for more than one, or none is named at
   * all: the operator does not guess, the container (or workload) is left alone.
   */
  public static final String RUNTIME_AMBIGUOUS = "RuntimeAmbiguous";

  /**
   * A workload opts into a runtime ({@code runtimepolicy.io/<name>-tuning: enabled}) that its
   * policy does not have: a custom runtime not declared in {@code spec.custom}, or a misspelt name.
   */
  public static final String RUNTIME_UNKNOWN = "RuntimeUnknown";

  /** A managed env var is set through valueFrom, so it cannot be managed: left alone. */
  public static final String OPTIONS_FROM_VALUE_FROM = "OptionsFromValueFrom";

  /**
   * Two runtimes of one container (a language runtime and an add-on, or two add-ons) want the same
   * variable: neither sets it, rather than one silently winning.
   */
  public static final String RUNTIME_CONFLICT = "RuntimeConflict";

  /**
   * The policy's {@code java.optionsEnvVar} names a system or runtime variable ({@code PATH},
   * {@code GOMAXPROCS}): the JVM flags would break it, so Java containers are not tuned.
   */
  public static final String OPTIONS_ENV_VAR_INVALID = "OptionsEnvVarInvalid";

  /**
   * An entry of the {@code runtimepolicy.io/managed-env} record the operator could not have written
   * (a variable no runtime manages, a value it never sets) or that came with a new object it does
   * not govern: copied or hand-made, so it is ignored and dropped from the record.
   */
  public static final String MANAGED_ENV_IGNORED = "ManagedEnvIgnored";

  /**
   * Recording the values would take the workload's annotations past Kubernetes' 256 KiB limit,
   * which would fail the user's own write: it is admitted and left untuned.
   */
  public static final String ANNOTATIONS_TOO_LARGE = "AnnotationsTooLarge";

  /** The liveness probe's timeoutSeconds is not strictly below the app read timeout. */
  public static final String LIVENESS_TIMEOUT_TOO_LONG = "LivenessTimeoutTooLong";

  /** The app read timeout (annotation or policy) is not a duration. */
  public static final String APP_READ_TIMEOUT_INVALID = "AppReadTimeoutInvalid";

  /** {@code runtimepolicy.io/containers} names a container the pod template does not have. */
  public static final String CONTAINER_NOT_FOUND = "ContainerNotFound";

  /** The managed flags present in the options differ from what the policy computes. */
  public static final String MANAGED_FLAGS_DIFFER = "ManagedFlagsDiffer";

  /** {@code runtimepolicy.io/policy} names a policy the namespace does not have: not tuned. */
  public static final String POLICY_NOT_FOUND = "PolicyNotFound";

  /**
   * Enforce sets values through the mutating webhook, which did not set them in the operator's
   * write: it is not registered, not reachable, or timed out.
   */
  public static final String ADMISSION_DID_NOT_TUNE = "AdmissionDidNotTune";

  /** A Job created untuned (webhook down, policy created later): its template cannot change. */
  public static final String JOB_CREATED_UNTUNED = "JobCreatedUntuned";

  /** The API server refused the operator's write (RBAC, validation): retried on the next resync. */
  public static final String WRITE_REFUSED = "WriteRefused";

  /** Inject mode: the workload opts in on its own metadata, which its pods do not inherit. */
  public static final String INJECT_OPT_IN_ON_WORKLOAD = "InjectOptInOnWorkload";

  /** Inject mode: running pods were injected with values the policy no longer computes. */
  public static final String PODS_STALE = "PodsStale";

  /** Inject mode: governed pods created without injection (webhook down, policy later). */
  public static final String PODS_UNTUNED = "PodsUntuned";

  /** Inject mode while the operator runs without its Pod webhook (chart value inject.enabled). */
  public static final String INJECT_NOT_ENABLED = "InjectNotEnabled";

  private Reasons() {}

  /**
   * Pods resized in place (their spec changed after creation: {@code pods/resize}, VPA's {@code
   * InPlaceOrRecreate}) run values computed for their old resources; also the key of {@code
   * pods.staleReasons}.
   */
  public static final String RESIZED_IN_PLACE = "ResizedInPlace";

  /**
   * Pods of an Enforce or Audit workload admitted with other resources than their template (VPA's
   * admission), so the values the template was given are not theirs; a reason in {@code
   * pods.staleReasons}.
   */
  public static final String RESOURCES_CHANGED_AT_ADMISSION = "ResourcesChangedAtAdmission";

  /** Pods stale because the policy computes other values since they were injected. */
  public static final String POLICY_CHANGED = "PolicyChanged";
}
