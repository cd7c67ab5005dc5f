package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.api.v1alpha1.DeploymentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The one entry point the reconciler and the admission webhook share. */
public final class DeploymentEvaluator {

  private DeploymentEvaluator() {}

  /**
   * One Deployment's pod template against a policy ({@code settings} null: the defaults).
   *
   * <ul>
   *   <li>Containers: those named by {@code runtimepolicy.io/containers} (a name not among the
   *       regular containers gives a Notice {@code ContainerNotFound}), else every regular
   *       container; init containers never.
   *   <li>App read timeout: the {@code runtimepolicy.io/app-read-timeout} annotation (trimmed) if
   *       it parses, else the policy's; an unparseable one gives a Deployment-level Notice {@code
   *       AppReadTimeoutInvalid}. If the policy's does not parse either, probes are not checked.
   *   <li>Per container: {@link CpuPolicy#decide}, {@link ProbeChecks#check}, and the options env
   *       var: set through valueFrom gives a Notice {@code OptionsFromValueFrom} and no desired
   *       value; otherwise, when processors are decided, the desired value is {@link
   *       JavaToolOptions#merge} of -XX:ActiveProcessorCount, plus -XX:MaxRAMPercentage when the
   *       policy sets it and the container has a valid, positive memory limit (an invalid one gives
   *       a Notice {@code MemoryQuantityInvalid}).
   *   <li>State, whatever the mode: any Violation finding gives Violation; else no container with a
   *       desired value gives Skipped; else Pending if a container would change, Tuned if not.
   * </ul>
   */
  public static DeploymentEvaluation evaluate(PolicySettings settings, Deployment deployment) {
    var template = deployment.getSpec() == null ? null : deployment.getSpec().getTemplate();
    return evaluate(
        settings,
        deployment.getMetadata() == null ? null : deployment.getMetadata().getAnnotations(),
        template == null ? null : template.getSpec());
  }

  /** The same, from a Deployment's annotations and pod template spec (either may be null). */
  public static DeploymentEvaluation evaluate(
      PolicySettings settings, Map<String, String> annotations, PodSpec podSpec) {
    PolicySettings policy = settings == null ? PolicySettings.defaults() : settings;
    List<Finding> findings = new ArrayList<>();
    ReadTimeout readTimeout = readTimeout(policy, annotations, findings);
    List<ContainerEvaluation> containers = new ArrayList<>();
    for (Container container : governed(annotations, podSpec, findings)) {
      ContainerEvaluation evaluation = ContainerEvaluator.evaluate(container, policy, readTimeout);
      containers.add(evaluation);
      findings.addAll(evaluation.findings());
    }
    DeploymentState state = state(findings, containers);
    return new DeploymentEvaluation(state, containers, findings, policy.optionsEnvVar());
  }

  private static ReadTimeout readTimeout(
      PolicySettings policy, Map<String, String> annotations, List<Finding> findings) {
    String annotated = annotations == null ? null : annotations.get(Annotations.APP_READ_TIMEOUT);
    if (annotated != null) {
      try {
        return new ReadTimeout(Durations.parse(annotated.trim()), annotated.trim());
      } catch (IllegalArgumentException e) {
        String detail =
            "annotation "
                + Annotations.APP_READ_TIMEOUT
                + " "
                + Finding.quoted(annotated)
                + " is not a duration; using the policy's "
                + policy.appReadTimeout();
        findings.add(Finding.notice(Reasons.APP_READ_TIMEOUT_INVALID, null, detail));
      }
    }
    try {
      return new ReadTimeout(Durations.parse(policy.appReadTimeout()), policy.appReadTimeout());
    } catch (IllegalArgumentException e) {
      String detail =
          "policy appReadTimeout "
              + Finding.quoted(policy.appReadTimeout())
              + " is not a duration; probe timing is not checked";
      findings.add(Finding.notice(Reasons.APP_READ_TIMEOUT_INVALID, null, detail));
      return new ReadTimeout(null, policy.appReadTimeout());
    }
  }

  private static List<Container> governed(
      Map<String, String> annotations, PodSpec podSpec, List<Finding> findings) {
    List<Container> regular = regular(podSpec);
    List<String> names = Annotations.containerNames(annotations);
    if (names.isEmpty()) {
      return regular;
    }
    for (String name : names) {
      if (regular.stream().noneMatch(container -> name.equals(container.getName()))) {
        String detail =
            "not among the pod's containers, though " + Annotations.CONTAINERS + " names it";
        findings.add(Finding.notice(Reasons.CONTAINER_NOT_FOUND, name, detail));
      }
    }
    return regular.stream().filter(container -> names.contains(container.getName())).toList();
  }

  private static List<Container> regular(PodSpec podSpec) {
    if (podSpec == null || podSpec.getContainers() == null) {
      return List.of();
    }
    return podSpec.getContainers().stream().filter(Objects::nonNull).toList();
  }

  private static DeploymentState state(
      List<Finding> findings, List<ContainerEvaluation> containers) {
    if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.Violation)) {
      return DeploymentState.Violation;
    }
    if (containers.stream().allMatch(container -> container.desiredValue() == null)) {
      return DeploymentState.Skipped;
    }
    return containers.stream().anyMatch(ContainerEvaluation::changes)
        ? DeploymentState.Pending
        : DeploymentState.Tuned;
  }
}
