package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerResult {

  @JsonPropertyDescription("The container's name.")
  private String name;

  @JsonPropertyDescription(
      "The runtime the container is tuned as (Java, Go, Python, DotNet, Node or a custom runtime's"
          + " name), with its add-ons after a plus (Python+OpenMP).")
  private String runtime;

  @JsonPropertyDescription("The CPU quantity used, as written in the workload.")
  private String cpu;

  @JsonPropertyDescription("Where the CPU quantity came from: Limit or Request.")
  private CpuOrigin cpuSource;

  @JsonPropertyDescription("Java: the -XX:ActiveProcessorCount the policy computes.")
  private Integer activeProcessorCount;

  @JsonPropertyDescription("Go: the GOMAXPROCS the policy computes; absent when not managed.")
  private Integer gomaxprocs;

  @JsonPropertyDescription(
      "Go: the GOMEMLIMIT the policy computes, in Go's syntax (e.g. 460MiB); absent when not"
          + " managed.")
  private String gomemlimit;

  @JsonPropertyDescription(
      "Every runtime: each managed variable and the value the policy computes for it; for an"
          + " options variable (JAVA_TOOL_OPTIONS, NODE_OPTIONS) only the managed flags. Absent"
          + " when nothing is set.")
  private Map<String, String> env;

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

  public String getRuntime() {
    return runtime;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }

  public Integer getGomaxprocs() {
    return gomaxprocs;
  }

  public void setGomaxprocs(Integer gomaxprocs) {
    this.gomaxprocs = gomaxprocs;
  }

  public String getGomemlimit() {
    return gomemlimit;
  }

  public void setGomemlimit(String gomemlimit) {
    this.gomemlimit = gomemlimit;
  }

  public Map<String, String> getEnv() {
    return env;
  }

  public void setEnv(Map<String, String> env) {
    this.env = env;
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
