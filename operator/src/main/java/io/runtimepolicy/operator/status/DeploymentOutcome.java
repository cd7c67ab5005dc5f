package io.runtimepolicy.operator.status;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.DeploymentState;
import java.util.List;

/**
 * Where one governed Deployment stands after a reconcile. {@code flagsMatch} is separate from
 * {@code state}: a Deployment with a probe violation can still carry the right flags.
 */
public record DeploymentOutcome(
    String deployment,
    DeploymentState state,
    boolean flagsMatch,
    List<ContainerResult> containers,
    List<String> findings) {}
