package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The processor fields every runtime section has, one type for all of them, so every runtime turns
 * a CPU quantity into processors by the same four settings. A runtime with settings of its own
 * extends it; one without ({@code python}, {@code openmp}) is exactly this.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = ProcessorSpec.MIN_MAX_RULE, message = ProcessorSpec.MIN_MAX_MESSAGE)
public class ProcessorSpec {

  // The generator reads this rule into every subclass's schema too.
  static final String MIN_MAX_RULE =
      "!has(self.maxProcessors) || self.maxProcessors >= (has(self.minProcessors) ?"
          + " self.minProcessors : 1)";
  static final String MIN_MAX_MESSAGE = "maxProcessors must not be below minProcessors";

  @JsonPropertyDescription(
      "Limit: only the CPU limit counts and a container without one gets no processor count."
          + " LimitOrRequest: the CPU request is the fallback when there is no limit.")
  @Default("LimitOrRequest")
  private CpuSource cpuSource = CpuSource.LimitOrRequest;

  @JsonPropertyDescription(
      "How a fractional CPU quantity becomes whole processors: Ceil (1500m gives 2) or Floor"
          + " (1500m gives 1). The result is never below minProcessors.")
  @Default("Ceil")
  private Rounding rounding = Rounding.Ceil;

  @JsonPropertyDescription("The smallest processor count ever set, 1 to 1024.")
  @Default("1")
  @Min(1)
  @Max(RuntimePolicySpec.MAX_PROCESSORS)
  private Integer minProcessors = 1;

  @JsonPropertyDescription(
      "Optional cap on the processor count, 1 to 1024; at least minProcessors.")
  @Min(1)
  @Max(RuntimePolicySpec.MAX_PROCESSORS)
  private Integer maxProcessors;

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

  /** Same class and the same four fields; subclasses add their own. */
  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && o instanceof ProcessorSpec other
        && cpuSource == other.cpuSource
        && rounding == other.rounding
        && Objects.equals(minProcessors, other.minProcessors)
        && Objects.equals(maxProcessors, other.maxProcessors);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), cpuSource, rounding, minProcessors, maxProcessors);
  }
}
