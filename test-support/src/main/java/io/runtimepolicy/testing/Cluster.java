package io.runtimepolicy.testing;

/** What {@link WithRealApiServer} starts for a test class. */
public enum Cluster {
  /** kube-apiserver and etcd only: objects are stored and served, nothing acts on them. */
  BARE,
  /**
   * {@link FullCluster}: the API server plus the controller manager, the scheduler and kwok's fake
   * nodes, so Deployments roll out, pods become Running and Ready, and namespaces finish deleting.
   * Costs a few seconds more to start; use it where pods, rollouts or deletion matter.
   */
  FULL
}
