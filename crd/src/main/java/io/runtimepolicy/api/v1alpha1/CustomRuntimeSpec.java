package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A runtime the user declares in the policy ({@code spec.custom}): opted into with {@code
 * runtimepolicy.io/<name>-tuning}, an add-on beside any language runtime, setting each of its
 * variables from the container's resources.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CustomRuntimeSpec {

  /** Longest name: {@code runtimepolicy.io/<name>-containers} must stay a valid annotation key. */
  public static final int MAX_NAME_LENGTH = 52;

  /** A lower-case DNS label, as the annotation keys need. */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** Most variables one custom runtime sets. */
  public static final int MAX_ENV = 16;

  @JsonPropertyDescription(
      "The runtime's name, a lower-case DNS label of at most 52 characters that is not a built-in"
          + " runtime: workloads opt in with runtimepolicy.io/<name>-tuning: enabled.")
  @Required
  @io.fabric8.generator.annotation.Pattern(NAME_PATTERN)
  @Size(min = 1, max = MAX_NAME_LENGTH)
  private String name;

  @JsonPropertyDescription("How the processor count is computed for this runtime's Processors.")
  @Default("{}")
  private ProcessorSpec processors = new ProcessorSpec();

  @JsonPropertyDescription("The variables this runtime sets, 1 to 16, each name once.")
  @Required
  @Size(min = 1, max = MAX_ENV)
  private List<CustomEnvSpec> env = new ArrayList<>();

  public CustomRuntimeSpec() {}

  public CustomRuntimeSpec(String name, ProcessorSpec processors, List<CustomEnvSpec> env) {
    this.name = name;
    this.processors = processors;
    this.env = env == null ? null : new ArrayList<>(env);
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public ProcessorSpec getProcessors() {
    return processors;
  }

  public void setProcessors(ProcessorSpec processors) {
    this.processors = processors;
  }

  public List<CustomEnvSpec> getEnv() {
    return env;
  }

  public void setEnv(List<CustomEnvSpec> env) {
    this.env = env;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomRuntimeSpec other
        && Objects.equals(name, other.name)
        && Objects.equals(processors, other.processors)
        && Objects.equals(env, other.env);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, processors, env);
  }
}
