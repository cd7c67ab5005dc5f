package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Rounding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/** How many processors a container's runtime should see. */
public final class CpuPolicy {

  private static final String CPU = "cpu";
  private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);

  private CpuPolicy() {}

  /**
   * The processors for one container.
   *
   * <ul>
   *   <li>Quantity: {@code limits.cpu}; when there is none and {@code cpuSource} is LimitOrRequest,
   *       {@code requests.cpu}. An invalid limit is reported, never replaced by the request.
   *   <li>Rounding: Ceil (1500m gives 2, like the JVM) or Floor (1500m gives 1) to whole
   *       processors, then clamped to [minProcessors, maxProcessors]. minProcessors wins over a
   *       smaller maxProcessors, and is at least 1, so tiny quantities (1m with Floor) give
   *       minProcessors and the result is never below 1.
   *   <li>No quantity: processors null and a Notice {@code CpuQuantityMissing}; nothing is guessed.
   *       Invalid, negative or zero (the kubelet sets no quota for a zero limit): processors null
   *       and a Notice {@code CpuQuantityInvalid}.
   * </ul>
   */
  public static ProcessorDecision decide(
      String containerName, ResourceRequirements resources, PolicySettings settings) {
    return decide(containerName, resources, settings.java().processors());
  }

  /** The same, by one runtime's rules; messages name {@link ProcessorRules#setting}. */
  public static ProcessorDecision decide(
      String containerName, ResourceRequirements resources, ProcessorRules settings) {
    String limit = Quantities.text(cpu(resources == null ? null : resources.getLimits()));
    String request = Quantities.text(cpu(resources == null ? null : resources.getRequests()));
    if (limit != null) {
      return decide(containerName, limit, CpuOrigin.Limit, settings);
    }
    if (request != null && settings.cpuSource() == CpuSource.LimitOrRequest) {
      return decide(containerName, request, CpuOrigin.Request, settings);
    }
    String what =
        settings.cpuSource() == CpuSource.Limit ? "no CPU limit" : "no CPU limit or request";
    Finding finding =
        Finding.notice(
            Reasons.CPU_QUANTITY_MISSING,
            containerName,
            what + ", so " + settings.setting() + " is not set");
    return new ProcessorDecision(null, null, null, Optional.of(finding));
  }

  private static ProcessorDecision decide(
      String containerName, String quantity, CpuOrigin origin, ProcessorRules settings) {
    String what = "CPU " + origin.name().toLowerCase() + " ";
    String problem;
    BigDecimal cores;
    try {
      cores = Quantities.parse(quantity);
      // Zero is no share of a CPU: the kubelet sets no CFS quota for it, so it bounds nothing.
      problem =
          cores.signum() < 0
              ? what + quantity + " is negative"
              : cores.signum() == 0 ? what + quantity + " is zero, which bounds nothing" : null;
    } catch (InvalidQuantityException e) {
      cores = null;
      problem = what + Finding.quoted(quantity) + " is not a Kubernetes quantity";
    }
    if (problem != null) {
      Finding finding = Finding.notice(Reasons.CPU_QUANTITY_INVALID, containerName, problem);
      return new ProcessorDecision(null, quantity, origin, Optional.of(finding));
    }
    return new ProcessorDecision(processors(cores, settings), quantity, origin, Optional.empty());
  }

  /** cores rounded by the policy, clamped to [min, max]; min wins when max is below it. */
  static int processors(BigDecimal cores, ProcessorRules settings) {
    int rounded = round(cores, settings.rounding());
    if (settings.maxProcessors() != null) {
      rounded = Math.min(rounded, settings.maxProcessors());
    }
    return Math.max(rounded, settings.minProcessors());
  }

  // Saturate first: rescaling an absurd quantity such as 1e999999999 would never finish.
  private static int round(BigDecimal cores, Rounding rounding) {
    if (cores.signum() == 0) {
      return 0;
    }
    if (cores.compareTo(MAX_INT) >= 0) {
      return Integer.MAX_VALUE;
    }
    RoundingMode mode = rounding == Rounding.Floor ? RoundingMode.FLOOR : RoundingMode.CEILING;
    return cores.setScale(0, mode).intValueExact();
  }

  private static Quantity cpu(Map<String, Quantity> quantities) {
    return quantities == null ? null : quantities.get(CPU);
  }
}
