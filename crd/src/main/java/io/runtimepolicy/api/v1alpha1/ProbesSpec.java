package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbesSpec {

  /** Go duration syntax, as Kubernetes writes durations: 5s, 1500ms, 1m30s. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

  @JsonPropertyDescription(
      "The app's HTTP read timeout when a workload does not state its own with the"
          + " runtimepolicy.io/app-read-timeout annotation. A liveness probe's timeoutSeconds must"
          + " be strictly below it. Go duration syntax: 5s, 1500ms, 1m30s.")
  @Default("5s")
  @Pattern(DURATION_PATTERN)
  private String appReadTimeout = "5s";

  public String getAppReadTimeout() {
    return appReadTimeout;
  }

  public void setAppReadTimeout(String appReadTimeout) {
    this.appReadTimeout = appReadTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbesSpec other && Objects.equals(appReadTimeout, other.appReadTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(appReadTimeout);
  }
}
