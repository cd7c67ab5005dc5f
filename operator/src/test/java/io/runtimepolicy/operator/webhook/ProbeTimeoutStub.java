package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Stands in for the policy engine until it lands: one rule, liveness timeoutSeconds must be below a
 * 5 s app read timeout, for Deployments annotated {@code runtimepolicy.io/java-tuning: "enabled"}.
 */
final class ProbeTimeoutStub implements DeploymentWarnings {
  static final int APP_READ_TIMEOUT_SECONDS = 5;

  @Override
  public List<String> warningsFor(Deployment deployment, String namespace) {
    Map<String, String> annotations = deployment.getMetadata().getAnnotations();
    if (annotations == null || !"enabled".equals(annotations.get("runtimepolicy.io/java-tuning"))) {
      return List.of();
    }
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .map(ProbeTimeoutStub::finding)
        .flatMap(Optional::stream)
        .toList();
  }

  private static Optional<String> finding(Container container) {
    if (container.getLivenessProbe() == null) {
      return Optional.empty();
    }
    int timeout = Objects.requireNonNullElse(container.getLivenessProbe().getTimeoutSeconds(), 1);
    if (timeout < APP_READ_TIMEOUT_SECONDS) {
      return Optional.empty();
    }
    return Optional.of(
        "container "
            + container.getName()
            + ": liveness probe timeoutSeconds "
            + timeout
            + " is not below the app read timeout "
            + APP_READ_TIMEOUT_SECONDS
            + "s");
  }
}
