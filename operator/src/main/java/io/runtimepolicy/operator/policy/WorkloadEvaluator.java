package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The one entry point the reconciler and the admission webhook share. */
public final class WorkloadEvaluator {

  private WorkloadEvaluator() {}

  /**
   * One workload's pod template against a policy ({@code settings} null: the defaults).
   *
   * <ul>
   *   <li>Containers: those named by {@code runtimepolicy.io/containers} (a name not among the
   *       regular containers gives a Notice {@code ContainerNotFound}), else every regular
   *       container; init containers never.
   *   <li>App read timeout: the {@code runtimepolicy.io/app-read-timeout} annotation (trimmed) if
   *       it parses, else the policy's; an unparseable one gives a workload-level Notice {@code
   *       AppReadTimeoutInvalid}. If the policy's does not parse either, probes are not checked.
   *   <li>Runtime: each container's {@link RuntimeProfile}, by {@link RuntimeProfiles#assign}
   *       (several runtimes enabled: which container is which, never guessed).
   *   <li>Per container: its profile's env ({@link RuntimeProfile#tune}), {@link ProbeChecks#check}
   *       whatever the runtime; a managed variable set through valueFrom gives a Notice {@code
   *       OptionsFromValueFrom} and the container is left alone.
   *   <li>State, whatever the mode: any Violation finding gives Violation; else no container with a
   *       desired value gives Skipped; else Pending if a container would change, Tuned if not.
   * </ul>
   */
  public static WorkloadEvaluation evaluate(PolicySettings settings, HasMetadata workload) {
    var kind =
        WorkloadKinds.of(workload)
            .orElseThrow(() -> new IllegalArgumentException("not a governed kind: " + workload));
    var template = kind.podTemplateOf(workload);
    return evaluate(
        settings,
        workload.getMetadata() == null ? null : workload.getMetadata().getAnnotations(),
        template == null ? null : template.getSpec(),
        Map.of());
  }

  /** The same, from a workload's annotations and pod template spec (either may be null). */
  public static WorkloadEvaluation evaluate(
      PolicySettings settings, Map<String, String> annotations, PodSpec podSpec) {
    return evaluate(settings, annotations, podSpec, Map.of());
  }

  /**
   * The same, from a workload's annotations and pod template spec (either may be null). {@code
   * userValues}: per container and variable, the user's own value where the live one is the
   * operator's (null: they had none); the desired value is computed from that, so a flag the policy
   * no longer manages is not carried over from an earlier tuning.
   */
  public static WorkloadEvaluation evaluate(
      PolicySettings settings,
      Map<String, String> annotations,
      PodSpec podSpec,
      Map<String, Map<String, String>> userValues) {
    PolicySettings policy = settings == null ? PolicySettings.defaults() : settings;
    List<Finding> findings = new ArrayList<>();
    ReadTimeout readTimeout = readTimeout(policy, annotations, findings);
    List<ContainerEvaluation> containers = new ArrayList<>();
    List<Finding> containerFindings = new ArrayList<>();
    governed(policy.profiles(), annotations, podSpec, containerFindings)
        .forEach(
            governed -> {
              Container container = governed.container();
              ContainerEvaluation evaluation =
                  ContainerEvaluator.evaluate(
                      container,
                      governed.profiles(),
                      policy,
                      readTimeout,
                      userValues.getOrDefault(container.getName(), Map.of()));
              containers.add(evaluation);
              containerFindings.addAll(evaluation.findings());
            });
    findings.addAll(containerFindings);
    WorkloadState state = state(findings, containers);
    return new WorkloadEvaluation(state, containers, findings, policy.optionsEnvVar());
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

  private static List<RuntimeProfiles.Assignment> governed(
      List<RuntimeProfile> profiles,
      Map<String, String> annotations,
      PodSpec podSpec,
      List<Finding> findings) {
    List<Container> regular = regular(podSpec);
    List<String> names = Annotations.containerNames(annotations);
    List<Container> scope = regular;
    if (!names.isEmpty()) {
      for (String name : names) {
        if (regular.stream().noneMatch(container -> name.equals(container.getName()))) {
          String detail =
              "not among the pod's containers, though " + Annotations.CONTAINERS + " names it";
          findings.add(Finding.notice(Reasons.CONTAINER_NOT_FOUND, name, detail));
        }
      }
      scope = regular.stream().filter(container -> names.contains(container.getName())).toList();
    }
    return RuntimeProfiles.assign(profiles, annotations, scope, regular, findings);
  }

  private static List<Container> regular(PodSpec podSpec) {
    if (podSpec == null || podSpec.getContainers() == null) {
      return List.of();
    }
    return podSpec.getContainers().stream().filter(Objects::nonNull).toList();
  }

  private static WorkloadState state(List<Finding> findings, List<ContainerEvaluation> containers) {
    if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.Violation)) {
      return WorkloadState.Violation;
    }
    return WorkloadEvaluation.tuningState(containers);
  }
}
