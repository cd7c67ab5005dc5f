package io.runtimepolicy.api.v1alpha1;

/** Which quantity of a container the processor count was computed from. */
public enum CpuOrigin {
  Limit,
  Request
}
