package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuntimePolicySpec {

  /**
   * The largest processor count a policy may set or cap at, for every runtime. No container
   * Kubernetes schedules comes near it, so a larger value is a typo (an extra digit, millicores),
   * and the schema refuses it rather than have a 2-CPU container run a thousand GC threads.
   */
  public static final int MAX_PROCESSORS = 1024;

  @JsonPropertyDescription(
      "Enforce sets the managed env in governed workloads; Audit never writes a workload, it only reports"
          + " and warns; Inject never writes a workload, it sets the env in each new pod (opt-in on"
          + " the pod template's annotations).")
  @Default("Enforce")
  private Mode mode = Mode.Enforce;

  @JsonPropertyDescription("How Java containers are tuned: -XX flags in an options variable.")
  @Default("{}")
  private JavaSpec java = new JavaSpec();

  @JsonPropertyDescription(
      "How Go containers are tuned: GOMAXPROCS from the CPU, GOMEMLIMIT from the memory limit.")
  @Default("{}")
  private GoSpec go = new GoSpec();

  @JsonPropertyDescription("How probe timing is checked.")
  @Default("{}")
  private ProbesSpec probes = new ProbesSpec();

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public JavaSpec getJava() {
    return java;
  }

  public void setJava(JavaSpec java) {
    this.java = java;
  }

  public GoSpec getGo() {
    return go;
  }

  public void setGo(GoSpec go) {
    this.go = go;
  }

  public ProbesSpec getProbes() {
    return probes;
  }

  public void setProbes(ProbesSpec probes) {
    this.probes = probes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RuntimePolicySpec other
        && mode == other.mode
        && Objects.equals(java, other.java)
        && Objects.equals(go, other.go)
        && Objects.equals(probes, other.probes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, java, go, probes);
  }
}
