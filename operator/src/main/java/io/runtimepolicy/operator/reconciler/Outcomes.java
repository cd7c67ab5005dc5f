package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.operator.policy.ContainerEvaluation;
import io.runtimepolicy.operator.policy.DeploymentEvaluation;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.JavaToolOptions;
import io.runtimepolicy.operator.status.DeploymentOutcome;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Maps the engine's evaluation to what the status and Events say. */
final class Outcomes {

  private Outcomes() {}

  static DeploymentOutcome of(String deployment, DeploymentEvaluation evaluation) {
    boolean flagsMatch =
        !evaluation.needsChange()
            && evaluation.containers().stream().anyMatch(c -> c.desiredValue() != null);
    return new DeploymentOutcome(
        deployment,
        evaluation.state(),
        flagsMatch,
        containers(evaluation),
        messages(evaluation.findings()));
  }

  static List<ContainerResult> containers(DeploymentEvaluation evaluation) {
    return evaluation.containers().stream().map(Outcomes::container).toList();
  }

  static List<String> messages(List<Finding> findings) {
    return findings.stream().map(Finding::message).distinct().toList();
  }

  /** For example "container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS". */
  static String describeChange(DeploymentEvaluation evaluation, String envVar) {
    return describeChange(evaluation, envVar, Set.of());
  }

  /** The same, plus the containers whose managed flags were removed. */
  static String describeChange(
      DeploymentEvaluation evaluation, String envVar, Set<String> removedFrom) {
    Stream<String> set =
        evaluation.containers().stream()
            .filter(ContainerEvaluation::changes)
            .map(
                c ->
                    "container "
                        + c.name()
                        + ": "
                        + JavaToolOptions.managedFlags(c.desiredValue()).entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))
                        + " in "
                        + envVar);
    Stream<String> removed =
        removedFrom.stream()
            .map(name -> "container " + name + ": managed flags removed from " + envVar);
    return Stream.concat(set, removed).collect(Collectors.joining("; "));
  }

  private static ContainerResult container(ContainerEvaluation c) {
    ContainerResult result = new ContainerResult();
    result.setName(c.name());
    result.setCpu(c.cpu());
    result.setCpuSource(c.cpuOrigin());
    result.setActiveProcessorCount(c.activeProcessorCount());
    result.setLivenessTimeoutSeconds(c.livenessTimeoutSeconds());
    result.setAppReadTimeout(c.appReadTimeout());
    return result;
  }
}
