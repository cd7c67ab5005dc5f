package io.runtimepolicy.api.v1alpha1;

/** Where a governed workload stands against its policy. */
public enum WorkloadState {
  /** Its managed flags match what the policy computes and no rule fails. */
  Tuned,
  /** At least one rule fails (for example probe timing). */
  Violation,
  /** Audit mode: Enforce would change its flags. */
  Pending,
  /** Nothing to tune: no container had a CPU quantity, or none could be merged. */
  Skipped,
  /** The operator could not evaluate or patch it. */
  Error
}
