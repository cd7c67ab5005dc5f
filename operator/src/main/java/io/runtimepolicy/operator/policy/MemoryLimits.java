package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A container's memory limit, for the settings that are a share of it. */
final class MemoryLimits {

  private static final String MEMORY = "memory";

  private MemoryLimits() {}

  /** The limit's text as written; empty when there is none. */
  static Optional<String> text(Container container) {
    Map<String, Quantity> limits =
        container.getResources() == null ? null : container.getResources().getLimits();
    return Optional.ofNullable(Quantities.text(limits == null ? null : limits.get(MEMORY)));
  }

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final BigDecimal MAX_BYTES = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigInteger MIB = BigInteger.ONE.shiftLeft(20);

  /** {@code percent} of {@code limitBytes} in whole bytes, rounded down. */
  static BigInteger share(BigDecimal limitBytes, int percent) {
    // Saturate first: expanding an absurd quantity such as 1e999999999 would never finish.
    return limitBytes
        .min(MAX_BYTES)
        .multiply(BigDecimal.valueOf(percent))
        .divide(HUNDRED, 0, RoundingMode.FLOOR)
        .toBigInteger();
  }

  /** {@code percent} of the limit in whole MiB, rounded down, at least 1 (the limit is >= 1Mi). */
  static String shareMib(BigDecimal limitBytes, int percent) {
    return share(limitBytes, percent).divide(MIB).max(BigInteger.ONE).toString();
  }

  /** Below this no share of a limit means anything to a runtime (a zero GOMEMLIMIT, say). */
  static final BigDecimal MIN_BYTES = BigDecimal.valueOf(1L << 20);

  /**
   * The limit in bytes when it is a valid quantity of at least 1Mi; an invalid or non-positive one
   * adds a Notice {@code MemoryQuantityInvalid}, a positive one below 1Mi a Notice {@code
   * MemoryLimitTooSmall}, each saying {@code setting} is not set. Empty without a limit (no
   * finding).
   */
  static Optional<BigDecimal> bytes(Container container, String setting, List<Finding> findings) {
    Optional<String> limit = text(container);
    if (limit.isEmpty()) {
      return Optional.empty();
    }
    String problem;
    BigDecimal bytes = null;
    try {
      bytes = Quantities.parse(limit.get());
      problem = bytes.signum() > 0 ? null : "memory limit " + limit.get() + " is not positive";
    } catch (InvalidQuantityException e) {
      problem = "memory limit " + Finding.quoted(limit.get()) + " is not a Kubernetes quantity";
    }
    String reason = Reasons.MEMORY_QUANTITY_INVALID;
    if (problem == null && bytes.compareTo(MIN_BYTES) < 0) {
      problem = "memory limit " + limit.get() + " is below 1Mi";
      reason = Reasons.MEMORY_LIMIT_TOO_SMALL;
    }
    if (problem != null) {
      String detail = problem + ", so " + setting + " is not set";
      findings.add(Finding.notice(reason, container.getName(), detail));
      return Optional.empty();
    }
    return Optional.of(bytes);
  }

  /**
   * {@link #bytes}, and without any limit a Notice {@code MemoryLimitMissing} that {@code setting}
   * is not set: for the settings that are a share of the limit and mean nothing without one.
   */
  static Optional<BigDecimal> required(
      Container container, String setting, List<Finding> findings) {
    Optional<BigDecimal> bytes = bytes(container, setting, findings);
    if (bytes.isEmpty() && text(container).isEmpty()) {
      String detail = "no memory limit, so " + setting + " is not set";
      findings.add(Finding.notice(Reasons.MEMORY_LIMIT_MISSING, container.getName(), detail));
    }
    return bytes;
  }
}
