package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.runtimepolicy.api.OptionsVariables;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxProcessors) || self.maxProcessors >= (has(self.minProcessors) ?"
            + " self.minProcessors : 1)",
    message = "maxProcessors must not be below minProcessors")
public class JavaSpec {

  @JsonPropertyDescription(
      "The environment variable that carries the managed JVM flags: JAVA_TOOL_OPTIONS,"
          + " JDK_JAVA_OPTIONS, _JAVA_OPTIONS or a name of your own (such as JAVA_OPTS), never a"
          + " system or runtime variable (PATH, HOME, LD_*, LC_*, GOMAXPROCS, NODE_OPTIONS, ...)."
          + " The user's own options in it are kept as written; only the managed flags are added"
          + " or replaced.")
  @Default("JAVA_TOOL_OPTIONS")
  @Pattern(OptionsVariables.NAME_PATTERN)
  private String optionsEnvVar = "JAVA_TOOL_OPTIONS";

  @JsonPropertyDescription(
      "Limit: only the CPU limit counts and a container without one is skipped. LimitOrRequest:"
          + " the CPU request is the fallback when there is no limit.")
  @Default("LimitOrRequest")
  private CpuSource cpuSource = CpuSource.LimitOrRequest;

  @JsonPropertyDescription(
      "How a fractional CPU quantity becomes whole processors: Ceil (1500m gives 2) or Floor"
          + " (1500m gives 1). The result is never below minProcessors.")
  @Default("Ceil")
  private Rounding rounding = Rounding.Ceil;

  @JsonPropertyDescription("The smallest -XX:ActiveProcessorCount ever set, 1 to 1024.")
  @Default("1")
  @Min(1)
  @Max(RuntimePolicySpec.MAX_PROCESSORS)
  private Integer minProcessors = 1;

  @JsonPropertyDescription(
      "Optional cap on -XX:ActiveProcessorCount, 1 to 1024; at least minProcessors.")
  @Min(1)
  @Max(RuntimePolicySpec.MAX_PROCESSORS)
  private Integer maxProcessors;

  @JsonPropertyDescription(
      "Optional. When set and a container has a memory limit, -XX:MaxRAMPercentage is managed"
          + " too: a percentage of the memory limit, above 0 and at most 100 (62.5, 75).")
  // Exclusive 0, not an inclusive 0.1: the API server compares a whole JSON number (kubectl
  // sends 0.0 as 0) against the minimum cast to an integer, so minimum 0.1 let 0 through.
  @Min(value = 0, inclusive = false)
  @Max(100)
  private Double maxRAMPercentage;

  public String getOptionsEnvVar() {
    return optionsEnvVar;
  }

  public void setOptionsEnvVar(String optionsEnvVar) {
    this.optionsEnvVar = optionsEnvVar;
  }

  public CpuSource getCpuSource() {
    return cpuSource;
  }

  public void setCpuSource(CpuSource cpuSource) {
    this.cpuSource = cpuSource;
  }

  public Rounding getRounding() {
    return rounding;
  }

  public void setRounding(Rounding rounding) {
    this.rounding = rounding;
  }

  public Integer getMinProcessors() {
    return minProcessors;
  }

  public void setMinProcessors(Integer minProcessors) {
    this.minProcessors = minProcessors;
  }

  public Integer getMaxProcessors() {
    return maxProcessors;
  }

  public void setMaxProcessors(Integer maxProcessors) {
    this.maxProcessors = maxProcessors;
  }

  public Double getMaxRAMPercentage() {
    return maxRAMPercentage;
  }

  public void setMaxRAMPercentage(Double maxRAMPercentage) {
    this.maxRAMPercentage = maxRAMPercentage;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JavaSpec other
        && Objects.equals(optionsEnvVar, other.optionsEnvVar)
        && cpuSource == other.cpuSource
        && rounding == other.rounding
        && Objects.equals(minProcessors, other.minProcessors)
        && Objects.equals(maxProcessors, other.maxProcessors)
        && Objects.equals(maxRAMPercentage, other.maxRAMPercentage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        optionsEnvVar, cpuSource, rounding, minProcessors, maxProcessors, maxRAMPercentage);
  }
}
