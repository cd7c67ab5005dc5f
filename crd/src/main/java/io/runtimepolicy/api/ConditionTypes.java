package io.runtimepolicy.api;

/** Condition types and reasons written to {@code RuntimePolicy} status. */
public final class ConditionTypes {
  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";

  /** False when part of the spec cannot be used (a custom runtime the CRD would refuse). */
  public static final String ACCEPTED = "Accepted";

  public static final String REASON_RECONCILED = "Reconciled";
  public static final String REASON_VIOLATIONS = "RuleViolations";
  public static final String REASON_NO_VIOLATIONS = "NoViolations";
  public static final String REASON_RECONCILE_ERROR = "ReconcileError";
  public static final String REASON_VALID = "Valid";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";

  private ConditionTypes() {}
}
