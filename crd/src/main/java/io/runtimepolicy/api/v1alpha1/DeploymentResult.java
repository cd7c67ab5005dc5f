package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentResult {

  @JsonPropertyDescription("The Deployment's name, in the policy's namespace.")
  private String deployment;

  @JsonPropertyDescription("Tuned, Violation, Pending (Audit: would change), Skipped or Error.")
  private DeploymentState state;

  @JsonPropertyDescription("What was computed for each governed container.")
  private List<ContainerResult> containers = new ArrayList<>();

  @JsonPropertyDescription("Human-readable findings, each under 120 characters.")
  private List<String> findings = new ArrayList<>();

  public String getDeployment() {
    return deployment;
  }

  public void setDeployment(String deployment) {
    this.deployment = deployment;
  }

  public DeploymentState getState() {
    return state;
  }

  public void setState(DeploymentState state) {
    this.state = state;
  }

  public List<ContainerResult> getContainers() {
    return containers;
  }

  public void setContainers(List<ContainerResult> containers) {
    this.containers = containers;
  }

  public List<String> getFindings() {
    return findings;
  }

  public void setFindings(List<String> findings) {
    this.findings = findings;
  }
}
