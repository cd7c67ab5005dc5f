package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import java.util.Optional;

/**
 * What {@link CpuPolicy} decided for one container.
 *
 * @param processors the -XX:ActiveProcessorCount to set; null when the container is skipped
 * @param quantity the CPU quantity used, as written; null when there was none
 * @param origin where {@code quantity} came from; null when there was none
 * @param finding why the container is skipped, if it is
 */
public record ProcessorDecision(
    Integer processors, String quantity, CpuOrigin origin, Optional<Finding> finding) {

  /** A null finding means none, so callers never hold a null Optional. */
  public ProcessorDecision {
    finding = finding == null ? Optional.empty() : finding;
  }
}
