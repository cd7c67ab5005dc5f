package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerResult {

  @JsonPropertyDescription("The container's name.")
  private String name;

  @JsonPropertyDescription("The CPU quantity used, as written in the workload.")
  private String cpu;

  @JsonPropertyDescription("Where the CPU quantity came from: Limit or Request.")
  private CpuOrigin cpuSource;

  @JsonPropertyDescription("The -XX:ActiveProcessorCount the policy computes.")
  private Integer activeProcessorCount;

  @JsonPropertyDescription(
      "The liveness probe's timeoutSeconds (1 when unset); absent without one.")
  private Integer livenessTimeoutSeconds;

  @JsonPropertyDescription("The app read timeout the probe was checked against.")
  private String appReadTimeout;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public CpuOrigin getCpuSource() {
    return cpuSource;
  }

  public void setCpuSource(CpuOrigin cpuSource) {
    this.cpuSource = cpuSource;
  }

  public Integer getActiveProcessorCount() {
    return activeProcessorCount;
  }

  public void setActiveProcessorCount(Integer activeProcessorCount) {
    this.activeProcessorCount = activeProcessorCount;
  }

  public Integer getLivenessTimeoutSeconds() {
    return livenessTimeoutSeconds;
  }

  public void setLivenessTimeoutSeconds(Integer livenessTimeoutSeconds) {
    this.livenessTimeoutSeconds = livenessTimeoutSeconds;
  }

  public String getAppReadTimeout() {
    return appReadTimeout;
  }

  public void setAppReadTimeout(String appReadTimeout) {
    this.appReadTimeout = appReadTimeout;
  }
}
