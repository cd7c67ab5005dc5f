package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.runtimepolicy.api.OptionsVariables;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class JavaSpec extends ProcessorSpec {

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

  public Double getMaxRAMPercentage() {
    return maxRAMPercentage;
  }

  public void setMaxRAMPercentage(Double maxRAMPercentage) {
    this.maxRAMPercentage = maxRAMPercentage;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o)
        && o instanceof JavaSpec other
        && Objects.equals(optionsEnvVar, other.optionsEnvVar)
        && Objects.equals(maxRAMPercentage, other.maxRAMPercentage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), optionsEnvVar, maxRAMPercentage);
  }
}
