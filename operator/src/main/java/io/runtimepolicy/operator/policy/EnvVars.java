package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Optional;

/** A container's env variables as the container sees them. */
public final class EnvVars {

  private EnvVars() {}

  /**
   * The variable's literal value: the last entry named {@code name} wins, as in the kubelet; an
   * entry without a value is {@code ""}; empty when there is none or it is set through valueFrom.
   */
  public static Optional<String> literal(Container container, String name) {
    EnvVar env = ContainerEvaluator.optionsEnv(container, name);
    return env == null || env.getValueFrom() != null
        ? Optional.empty()
        : Optional.of(ContainerEvaluator.nullToEmpty(env.getValue()));
  }
}
