package io.runtimepolicy.operator.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * .NET: {@code DOTNET_PROCESSOR_COUNT=N} from the CPU decision, and, when the policy sets {@code
 * heapHardLimitPercent} and the container has a memory limit, {@code DOTNET_GCHeapHardLimitPercent}
 * in hexadecimal, as the runtime reads every {@code DOTNET_GC*} variable (75 % is {@code 4B}; a
 * decimal {@code 75} would mean 117 %). The runtime rounds a CPU limit up and ignores requests, so
 * a request-only container sees every host core. Each variable is set whole and given back on
 * leaving.
 */
final class DotnetProfile implements RuntimeProfile {

  static final String PROCESSOR_COUNT = "DOTNET_PROCESSOR_COUNT";
  static final String HEAP_HARD_LIMIT_PERCENT = "DOTNET_GCHeapHardLimitPercent";

  private static final Pattern HEX_PERCENT = Pattern.compile("[0-9A-F]{1,2}");

  /** The {@code dotnet} section: the processor fields and the GC heap's optional hard limit. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Section extends ProcessorSpec {

    @JsonPropertyDescription(
        "Optional. When set and a container has a memory limit, DOTNET_GCHeapHardLimitPercent is"
            + " managed too: the GC heap's hard limit as this percentage (1 to 100) of the memory"
            + " limit, written in hexadecimal as the runtime reads it (75 is 4B).")
    @Min(1)
    @Max(100)
    private Integer heapHardLimitPercent;

    public Integer getHeapHardLimitPercent() {
      return heapHardLimitPercent;
    }

    public void setHeapHardLimitPercent(Integer heapHardLimitPercent) {
      this.heapHardLimitPercent = heapHardLimitPercent;
    }

    @Override
    public boolean equals(Object o) {
      return super.equals(o)
          && o instanceof Section other
          && Objects.equals(heapHardLimitPercent, other.heapHardLimitPercent);
    }

    @Override
    public int hashCode() {
      return Objects.hash(super.hashCode(), heapHardLimitPercent);
    }
  }

  /** The resolved section; a percentage outside 1..100 (past the schema) is not managed. */
  record Settings(ProcessorRules processors, Integer heapHardLimitPercent)
      implements RuntimeSettings {
    Settings {
      heapHardLimitPercent = RuntimeSettings.wholePercent(heapHardLimitPercent);
    }
  }

  @Override
  public String name() {
    return "dotnet";
  }

  @Override
  public String runtime() {
    return "DotNet";
  }

  @Override
  public Class<Section> sectionType() {
    return Section.class;
  }

  @Override
  public String description() {
    return "How .NET containers are tuned: DOTNET_PROCESSOR_COUNT from the CPU, and optionally"
        + " DOTNET_GCHeapHardLimitPercent from the memory limit.";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    Section dotnet = section instanceof Section s ? s : new Section();
    return new Settings(
        ProcessorRules.of(dotnet, PROCESSOR_COUNT), dotnet.getHeapHardLimitPercent());
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return settings.runtime(this, Settings.class).heapHardLimitPercent() == null
        ? List.of(PROCESSOR_COUNT)
        : List.of(PROCESSOR_COUNT, HEAP_HARD_LIMIT_PERCENT);
  }

  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    return switch (variable) {
      case PROCESSOR_COUNT -> ProcessorRules.isCount(entry.set());
      case HEAP_HARD_LIMIT_PERCENT ->
          HEX_PERCENT.matcher(entry.set()).matches()
              && Integer.parseInt(entry.set(), 16) >= 1
              && Integer.parseInt(entry.set(), 16) <= 100;
      default -> false;
    };
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    Settings dotnet = settings.runtime(this, Settings.class);
    List<Finding> findings = new ArrayList<>();
    ProcessorDecision cpu =
        CpuPolicy.decide(container.getName(), container.getResources(), dotnet.processors());
    cpu.finding().ifPresent(findings::add);
    List<EnvChange> changes = new ArrayList<>();
    if (cpu.processors() != null) {
      changes.add(new EnvChange.SetValue(PROCESSOR_COUNT, Integer.toString(cpu.processors())));
    }
    Integer percent = dotnet.heapHardLimitPercent();
    if (percent != null
        && MemoryLimits.required(container, HEAP_HARD_LIMIT_PERCENT, findings).isPresent()) {
      changes.add(new EnvChange.SetValue(HEAP_HARD_LIMIT_PERCENT, hex(percent)));
    }
    return new RuntimeTuning(cpu, changes, findings, null, null, null);
  }

  /** The percentage as the .NET GC reads its environment: hexadecimal, upper case. */
  static String hex(int percent) {
    return Integer.toHexString(percent).toUpperCase(Locale.ROOT);
  }
}
