package io.runtimepolicy.testing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** What tests read back from a Deployment: one container's env var value. */
public final class EnvValues {

  private EnvValues() {}

  /**
   * The value of {@code name} in {@code container}, or null when the entry or its value is absent.
   */
  public static String of(Deployment deployment, String container, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(container))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + container))
        .getEnv()
        .stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .map(EnvVar::getValue)
        .orElse(null);
  }
}
