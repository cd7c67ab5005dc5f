package io.runtimepolicy.operator;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.runtimepolicy.testing.EnvValues;
import java.util.LinkedHashMap;
import java.util.Map;

/** Deployments as users write them, built fluently for tests. */
public final class TestDeployments {

  private final String name;
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final Map<String, Quantity> limits = new LinkedHashMap<>();
  private final Map<String, Quantity> requests = new LinkedHashMap<>();
  private String javaToolOptions;
  private Integer livenessTimeout;
  private boolean liveness;

  private TestDeployments(String name) {
    this.name = name;
  }

  public static TestDeployments deployment(String name) {
    return new TestDeployments(name);
  }

  public TestDeployments governed() {
    return annotation("runtimepolicy.io/java-tuning", "enabled");
  }

  public TestDeployments annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  public TestDeployments cpuLimit(String quantity) {
    limits.put("cpu", new Quantity(quantity));
    return this;
  }

  public TestDeployments memoryLimit(String quantity) {
    limits.put("memory", new Quantity(quantity));
    return this;
  }

  public TestDeployments cpuRequest(String quantity) {
    requests.put("cpu", new Quantity(quantity));
    return this;
  }

  public TestDeployments javaToolOptions(String value) {
    this.javaToolOptions = value;
    return this;
  }

  /** An HTTP liveness probe; {@code timeoutSeconds} null leaves the Kubernetes default. */
  public TestDeployments liveness(Integer timeoutSeconds) {
    this.liveness = true;
    this.livenessTimeout = timeoutSeconds;
    return this;
  }

  public Deployment build() {
    ContainerBuilder app =
        new ContainerBuilder()
            .withName("app")
            .withImage("registry.example/app:1")
            .withNewResources()
            .withLimits(limits)
            .withRequests(requests)
            .endResources();
    if (javaToolOptions != null) {
      app.addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(javaToolOptions).endEnv();
    }
    if (liveness) {
      app.withNewLivenessProbe()
          .withNewHttpGet()
          .withPath("/healthz")
          .withNewPort(8080)
          .endHttpGet()
          .withTimeoutSeconds(livenessTimeout)
          .endLivenessProbe();
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withContainers(app.build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The value of an env var of the "app" container, or null. */
  public static String env(Deployment deployment, String name) {
    return EnvValues.of(deployment, "app", name);
  }
}
