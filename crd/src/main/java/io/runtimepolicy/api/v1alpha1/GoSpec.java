package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GoSpec extends ProcessorSpec {

  /** The GOMEMLIMIT share of the memory limit when the spec does not say. */
  public static final int DEFAULT_MEMORY_LIMIT_PERCENT = 90;

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
    return super.equals(o)
        && o instanceof GoSpec other
        && Objects.equals(memoryLimitPercent, other.memoryLimitPercent)
        && Objects.equals(leaveLimitToRuntime, other.leaveLimitToRuntime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), memoryLimitPercent, leaveLimitToRuntime);
  }
}
