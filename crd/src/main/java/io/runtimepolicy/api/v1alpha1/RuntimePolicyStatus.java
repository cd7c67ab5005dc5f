package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuntimePolicyStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Standard conditions: Ready, and Degraded while any rule is violated.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Workloads (every kind) governed by this policy.")
  private Integer targets;

  @JsonPropertyDescription("Governed workloads whose managed flags match what the policy computes.")
  private Integer tuned;

  @JsonPropertyDescription("Governed workloads with at least one failed rule.")
  private Integer violations;

  @JsonPropertyDescription(
      "One entry per governed workload, violations first, capped so the status stays bounded;"
          + " the counts above are always exact.")
  private List<WorkloadResult> results = new ArrayList<>();

  @JsonPropertyDescription("How many results were left out because of the cap.")
  private Integer omittedResults;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getTargets() {
    return targets;
  }

  public void setTargets(Integer targets) {
    this.targets = targets;
  }

  public Integer getTuned() {
    return tuned;
  }

  public void setTuned(Integer tuned) {
    this.tuned = tuned;
  }

  public Integer getViolations() {
    return violations;
  }

  public void setViolations(Integer violations) {
    this.violations = violations;
  }

  public List<WorkloadResult> getResults() {
    return results;
  }

  public void setResults(List<WorkloadResult> results) {
    this.results = results;
  }

  public Integer getOmittedResults() {
    return omittedResults;
  }

  public void setOmittedResults(Integer omittedResults) {
    this.omittedResults = omittedResults;
  }
}
