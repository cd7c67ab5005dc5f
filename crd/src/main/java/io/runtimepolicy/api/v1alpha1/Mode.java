package io.runtimepolicy.api.v1alpha1;

/** What the operator may do to the workloads a policy governs. */
public enum Mode {
  /**
   * Set the managed env in the workloads' own writes (mutating admission), and tune what admission
   * did not see.
   */
  Enforce,
  /** Never write a workload: only report in status, Events and admission warnings. */
  Audit,
  /**
   * Never write a workload: set the managed env in each new pod at its creation (a mutating webhook
   * on Pod CREATE), for workloads whose templates another controller owns.
   */
  Inject
}
