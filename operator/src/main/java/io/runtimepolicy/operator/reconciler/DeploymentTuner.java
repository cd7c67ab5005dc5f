package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.runtimepolicy.api.v1alpha1.DeploymentState;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.policy.DeploymentEvaluation;
import io.runtimepolicy.operator.policy.DeploymentEvaluator;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.JavaToolOptions;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.status.DeploymentOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Observe, decide, act for one governed Deployment; the outcome feeds the policy's status. */
final class DeploymentTuner {

  private static final Logger log = LoggerFactory.getLogger(DeploymentTuner.class);

  private final DeploymentPatcher patcher;
  private final DeploymentEvents events;
  private final Counter patched;

  DeploymentTuner(DeploymentPatcher patcher, DeploymentEvents events, Counter patched) {
    this.patcher = patcher;
    this.events = events;
    this.patched = patched;
  }

  DeploymentOutcome tune(
      Deployment deployment,
      String policy,
      PolicySettings settings,
      FindingMemo memo,
      Consumer<Deployment> written) {
    DeploymentEvaluation evaluation = evaluate(deployment, settings);
    report(deployment, evaluation, settings, memo);
    Map<String, String> giveBack =
        giveBack(deployment, settings, evaluation.desiredValues().keySet());
    boolean givesBack = changesAnything(deployment, settings.optionsEnvVar(), giveBack);
    if (settings.mode() != Mode.Enforce || (!evaluation.needsChange() && !givesBack)) {
      return Outcomes.of(name(deployment), evaluation);
    }
    Map<String, String> intent = new LinkedHashMap<>(evaluation.desiredValues());
    intent.putAll(giveBack);
    try {
      Deployment result = patcher.applyFlags(deployment, policy, settings.optionsEnvVar(), intent);
      patched.increment();
      written.accept(result);
      String change =
          Outcomes.describeChange(
              evaluation, settings.optionsEnvVar(), givesBack ? giveBack.keySet() : Set.of());
      log.info(
          "Tuned Deployment {}/{}: {}",
          deployment.getMetadata().getNamespace(),
          name(deployment),
          change);
      events.normal(deployment, "Tuned", change);
      return Outcomes.of(name(deployment), evaluate(result, settings));
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not patch Deployment {}/{}: HTTP {} {}",
          deployment.getMetadata().getNamespace(),
          name(deployment),
          e.getCode(),
          e.getStatus() == null ? "" : e.getStatus().getReason());
      List<String> findings = new ArrayList<>(Outcomes.messages(evaluation.findings()));
      findings.add("could not patch the Deployment: HTTP " + e.getCode());
      return new DeploymentOutcome(
          name(deployment),
          DeploymentState.Error,
          false,
          Outcomes.containers(evaluation),
          findings);
    }
  }

  /** Removes the flags this policy added from a Deployment it no longer governs. */
  void release(Deployment deployment, PolicySettings settings) {
    if (settings.mode() != Mode.Enforce) {
      return;
    }
    try {
      patcher.release(
          deployment, settings.optionsEnvVar(), giveBack(deployment, settings, Set.of()));
    } catch (KubernetesClientException e) {
      // Retried on the next reconcile: the marker stays until the release succeeds.
      log.warn(
          "Could not release Deployment {}/{}: HTTP {}",
          deployment.getMetadata().getNamespace(),
          name(deployment),
          e.getCode());
      return;
    }
    patched.increment();
    log.info(
        "Released Deployment {}/{}: managed flags removed from {}",
        deployment.getMetadata().getNamespace(),
        name(deployment),
        settings.optionsEnvVar());
    events.normal(
        deployment,
        "FlagsRemoved",
        "Managed JVM flags removed from "
            + settings.optionsEnvVar()
            + ": the Deployment is no longer governed by a RuntimePolicy");
  }

  /**
   * The options of containers whose variable the operator wrote but will not tune now (no longer
   * governed, or skipped), managed flags stripped: exactly what it added goes. Every apply must
   * restate them, or server-side apply would drop the values the operator still owns.
   */
  private static Map<String, String> giveBack(
      Deployment deployment, PolicySettings settings, Set<String> tuned) {
    Set<String> owned =
        OwnedEnv.containers(deployment, DeploymentPatcher.FIELD_MANAGER, settings.optionsEnvVar());
    Map<String, String> giveBack = new LinkedHashMap<>();
    for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
      if (owned.contains(container.getName()) && !tuned.contains(container.getName())) {
        JavaToolOptions.literalValue(container, settings.optionsEnvVar())
            .ifPresent(value -> giveBack.put(container.getName(), JavaToolOptions.strip(value)));
      }
    }
    return giveBack;
  }

  private static boolean changesAnything(
      Deployment deployment, String envVar, Map<String, String> values) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> values.containsKey(c.getName()))
        .anyMatch(
            c ->
                !values
                    .get(c.getName())
                    .equals(JavaToolOptions.literalValue(c, envVar).orElse("")));
  }

  private void report(
      Deployment deployment,
      DeploymentEvaluation evaluation,
      PolicySettings settings,
      FindingMemo memo) {
    List<String> keys = new ArrayList<>();
    evaluation
        .findings()
        .forEach(f -> keys.add(f.severity() + "|" + f.reason() + "|" + f.message()));
    if (settings.mode() == Mode.Audit && evaluation.needsChange()) {
      keys.add(
          "Normal|WouldTune|Audit mode: Enforce would "
              + Outcomes.describeChange(evaluation, settings.optionsEnvVar()));
    }
    for (String key : memo.newSince(deployment.getMetadata().getUid(), keys)) {
      String[] parts = key.split("\\|", 3);
      if (Finding.Severity.Violation.name().equals(parts[0])) {
        events.warning(deployment, parts[1], parts[2]);
      } else {
        events.normal(deployment, parts[1], parts[2]);
      }
    }
  }

  private static DeploymentEvaluation evaluate(Deployment deployment, PolicySettings settings) {
    return DeploymentEvaluator.evaluate(settings, deployment);
  }

  private static String name(Deployment deployment) {
    return deployment.getMetadata().getName();
  }
}
