package io.runtimepolicy.api.v1alpha1;

/** Which CPU quantity of a container decides its processor count. */
public enum CpuSource {
  /** Only {@code resources.limits.cpu}; a container without a CPU limit is skipped. */
  Limit,
  /** {@code resources.limits.cpu}, else {@code resources.requests.cpu}. */
  LimitOrRequest
}
