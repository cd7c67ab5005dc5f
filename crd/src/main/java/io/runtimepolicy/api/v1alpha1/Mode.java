package io.runtimepolicy.api.v1alpha1;

/** What the operator may do to the Deployments a policy governs. */
public enum Mode {
  /** Patch Deployments so their managed flags match the policy. */
  Enforce,
  /** Never write a Deployment: only report in status, Events and admission warnings. */
  Audit
}
