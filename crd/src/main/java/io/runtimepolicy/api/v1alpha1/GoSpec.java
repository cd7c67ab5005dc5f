package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxProcessors) || self.maxProcessors >= (has(self.minProcessors) ?"
            + " self.minProcessors : 1)",
    message = "maxProcessors must not be below minProcessors")
public class GoSpec {

  /** The GOMEMLIMIT share of the memory limit when the spec does not say. */
  public static final int DEFAULT_MEMORY_LIMIT_PERCENT = 90;

  @JsonPropertyDescription(
      "Limit: only the CPU limit counts and a container without one gets no GOMAXPROCS."
          + " LimitOrRequest: the CPU request is the fallback when there is no limit.")
  @Default("LimitOrRequest")
  private CpuSource cpuSource = CpuSource.LimitOrRequest;

  @JsonPropertyDescription(
      "How a fractional CPU quantity becomes GOMAXPROCS: Ceil (1500m gives 2) or Floor (1500m"
          + " gives 1). The result is never below minProcessors.")
  @Default("Ceil")
  private Rounding rounding = Rounding.Ceil;

  @JsonPropertyDescription("The smallest GOMAXPROCS ever set, 1 to 1024.")
  @Default("1")
  @Min(1)
  @Max(RuntimePolicySpec.MAX_PROCESSORS)
  private Integer minProcessors = 1;

  @JsonPropertyDescription("Optional cap on GOMAXPROCS, 1 to 1024; at least minProcessors.")
  @Min(1)
  @Max(RuntimePolicySpec.MAX_PROCESSORS)
  private Integer maxProcessors;

  @JsonPropertyDescription(
      "GOMEMLIMIT as this percentage (1 to 100) of the container's memory limit, rounded down to"
          + " whole MiB (512Mi at 90 gives 460MiB). A container without a memory limit gets no"
          + " GOMEMLIMIT. null: GOMEMLIMIT is not managed.")
  @Default("90")
  @Nullable
  @Min(1)
  @Max(100)
  // Written even when null: an absent field would be defaulted back to 90 by the API server.
  @JsonInclude(JsonInclude.Include.ALWAYS)
  private Integer memoryLimitPercent = DEFAULT_MEMORY_LIMIT_PERCENT;

  @JsonPropertyDescription(
      "true: a container WITH a CPU limit gets no GOMAXPROCS, because Go 1.25 and later derive it"
          + " from the limit and keep it current; containers with only a request still get one.")
  @Default("false")
  private Boolean leaveLimitToRuntime = false;

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

  public Integer getMemoryLimitPercent() {
    return memoryLimitPercent;
  }

  public void setMemoryLimitPercent(Integer memoryLimitPercent) {
    this.memoryLimitPercent = memoryLimitPercent;
  }

  public Boolean getLeaveLimitToRuntime() {
    return leaveLimitToRuntime;
  }

  public void setLeaveLimitToRuntime(Boolean leaveLimitToRuntime) {
    this.leaveLimitToRuntime = leaveLimitToRuntime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoSpec other
        && cpuSource == other.cpuSource
        && rounding == other.rounding
        && Objects.equals(minProcessors, other.minProcessors)
        && Objects.equals(maxProcessors, other.maxProcessors)
        && Objects.equals(memoryLimitPercent, other.memoryLimitPercent)
        && Objects.equals(leaveLimitToRuntime, other.leaveLimitToRuntime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        cpuSource, rounding, minProcessors, maxProcessors, memoryLimitPercent, leaveLimitToRuntime);
  }
}
