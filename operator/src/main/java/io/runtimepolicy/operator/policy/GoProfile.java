package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.GoSpec;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Go: {@code GOMAXPROCS=N} from the CPU decision by {@code go}'s rules, and {@code GOMEMLIMIT} as
 * {@code memoryLimitPercent} of the memory limit ({@link #memLimit}), each set whole and each
 * independent of the other. With {@code leaveLimitToRuntime}, a container with a CPU limit gets no
 * GOMAXPROCS (Go 1.25+ derives it from the limit); request-only containers still do. No memory
 * limit: no GOMEMLIMIT and a Notice {@code MemoryLimitMissing}.
 */
final class GoProfile implements RuntimeProfile {

  private static final BigInteger MIB = BigInteger.ONE.shiftLeft(20);
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final BigInteger MAX_INT64 = BigInteger.valueOf(Long.MAX_VALUE);
  private static final Pattern MEM_LIMIT = Pattern.compile("[0-9]{1,19}(MiB)?");

  @Override
  public String name() {
    return RuntimePolicySpec.GO;
  }

  @Override
  public String runtime() {
    return "Go";
  }

  @Override
  public Class<GoSpec> sectionType() {
    return GoSpec.class;
  }

  @Override
  public String description() {
    return "How Go containers are tuned: GOMAXPROCS from the CPU, GOMEMLIMIT from the memory limit.";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    return GoSettings.from((GoSpec) section);
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return settings.go().memoryLimitPercent() == null
        ? List.of(GoSettings.GOMAXPROCS)
        : List.of(GoSettings.GOMAXPROCS, GoSettings.GOMEMLIMIT);
  }

  /** GOMAXPROCS as a whole number, GOMEMLIMIT as {@link #memLimit} writes it. */
  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    return switch (variable) {
      case GoSettings.GOMAXPROCS -> ProcessorRules.isCount(entry.set());
      case GoSettings.GOMEMLIMIT -> MEM_LIMIT.matcher(entry.set()).matches();
      default -> false;
    };
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    GoSettings go = settings.go();
    List<Finding> findings = new ArrayList<>();
    List<EnvChange> changes = new ArrayList<>();
    ProcessorDecision cpu =
        CpuPolicy.decide(container.getName(), container.getResources(), go.processors());
    cpu.finding().ifPresent(findings::add);
    Integer gomaxprocs = null;
    boolean leftToRuntime = go.leaveLimitToRuntime() && cpu.origin() == CpuOrigin.Limit;
    if (cpu.processors() != null && !leftToRuntime) {
      gomaxprocs = cpu.processors();
      changes.add(new EnvChange.SetValue(GoSettings.GOMAXPROCS, Integer.toString(gomaxprocs)));
    }
    String gomemlimit = null;
    if (go.memoryLimitPercent() != null) {
      Optional<BigDecimal> bytes =
          MemoryLimits.required(container, GoSettings.GOMEMLIMIT, findings);
      if (bytes.isPresent()) {
        gomemlimit = memLimit(bytes.get(), go.memoryLimitPercent());
        changes.add(new EnvChange.SetValue(GoSettings.GOMEMLIMIT, gomemlimit));
      }
    }
    return new RuntimeTuning(cpu, changes, findings, null, gomaxprocs, gomemlimit);
  }

  /**
   * {@code percent} of {@code limitBytes} in the Go runtime's GOMEMLIMIT syntax, rounded down to
   * whole MiB ({@code 512Mi} at 90 gives {@code 460MiB}, 483183820.8 bytes being 460.8 MiB): down,
   * so the GC target never exceeds the share asked for. Below 1 MiB, whole bytes without a unit (Go
   * reads a bare number as bytes). At most Go's own maximum, 2^63-1 bytes.
   */
  static String memLimit(BigDecimal limitBytes, int percent) {
    // Saturate first: expanding an absurd quantity such as 1e999999999 would never finish.
    BigDecimal limit = limitBytes.min(new BigDecimal(MAX_INT64));
    BigInteger bytes =
        limit
            .multiply(BigDecimal.valueOf(percent))
            .divide(HUNDRED, 0, RoundingMode.FLOOR)
            .toBigInteger()
            .min(MAX_INT64);
    BigInteger mib = bytes.divide(MIB);
    return mib.signum() > 0 ? mib + "MiB" : bytes.toString();
  }
}
