package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** The policy engine as the admission webhook sees it. */
@FunctionalInterface
public interface DeploymentWarnings {
  /**
   * Warning texts (without prefix) for a Deployment being admitted; empty when it is not governed.
   * Must not be trusted not to throw.
   */
  List<String> warningsFor(Deployment deployment, String namespace);
}
