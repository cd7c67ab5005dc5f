package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadResult {

  @JsonPropertyDescription(
      "The workload's kind: Deployment, StatefulSet, DaemonSet, CronJob or Job; in Inject mode"
          + " the pods' owner of any kind, or Pod for a pod no controller owns.")
  private String kind;

  @JsonPropertyDescription("The workload's name, in the policy's namespace.")
  private String name;

  @JsonPropertyDescription("Tuned, Violation, Pending (Audit: would change), Skipped or Error.")
  private WorkloadState state;

  @JsonPropertyDescription("What was computed for each governed container.")
  private List<ContainerResult> containers = new ArrayList<>();

  @JsonPropertyDescription("Human-readable findings, each under 120 characters.")
  private List<String> findings = new ArrayList<>();

  @JsonPropertyDescription(
      "Inject mode only: how many of the workload's running pods carry the current values.")
  private PodCounts pods;

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public WorkloadState getState() {
    return state;
  }

  public void setState(WorkloadState state) {
    this.state = state;
  }

  public List<ContainerResult> getContainers() {
    return containers;
  }

  public void setContainers(List<ContainerResult> containers) {
    this.containers = containers;
  }

  public PodCounts getPods() {
    return pods;
  }

  public void setPods(PodCounts pods) {
    this.pods = pods;
  }

  public List<String> getFindings() {
    return findings;
  }

  public void setFindings(List<String> findings) {
    this.findings = findings;
  }
}
