package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** One variable a custom runtime sets, and what to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.percent) || self.value != 'Processors'",
    message =
        "percent is a share of the memory limit: it applies to MemoryLimitMiB and"
            + " MemoryLimitBytes only")
public class CustomEnvSpec {

  @JsonPropertyDescription(
      "The env variable, e.g. TOKIO_WORKER_THREADS; not a system variable such as PATH, and not"
          + " an options variable such as JAVA_TOOL_OPTIONS.")
  @Required
  private String name;

  @JsonPropertyDescription(
      "Processors: the processor count by the runtime's processor fields. MemoryLimitMiB and"
          + " MemoryLimitBytes: percent of the memory limit, rounded down; a container without a"
          + " memory limit does not get the variable.")
  @Required
  private CustomValue value;

  @JsonPropertyDescription("For the memory values: the share of the limit, 1 to 100; default 100.")
  @Min(1)
  @Max(100)
  private Integer percent;

  public CustomEnvSpec() {}

  public CustomEnvSpec(String name, CustomValue value, Integer percent) {
    this.name = name;
    this.value = value;
    this.percent = percent;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public CustomValue getValue() {
    return value;
  }

  public void setValue(CustomValue value) {
    this.value = value;
  }

  public Integer getPercent() {
    return percent;
  }

  public void setPercent(Integer percent) {
    this.percent = percent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomEnvSpec other
        && Objects.equals(name, other.name)
        && value == other.value
        && Objects.equals(percent, other.percent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value, percent);
  }
}
