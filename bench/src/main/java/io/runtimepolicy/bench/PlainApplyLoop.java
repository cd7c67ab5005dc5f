package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.WorkloadEvaluator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The limit for convergence: a plain fabric8 loop that server-side applies to each Deployment the
 * very change the operator makes (same engine, same env value, same tuned-by marker, same shape of
 * apply as the operator's DeploymentPatcher), on several threads, as fast as the API server
 * answers. The intents are computed before the clock starts.
 */
final class PlainApplyLoop {

  static final String FIELD_MANAGER = "bench-plain-loop";

  private PlainApplyLoop() {}

  static ParallelLoop.Timing run(KubernetesClient client, List<Deployment> targets, int threads) {
    return run(client, targets, threads, false);
  }

  /**
   * With {@code events}, each apply is followed by an Event on the Deployment shaped like the
   * operator's "Tuned" Event: the operator's write pattern, to explain its time, not a limit.
   */
  static ParallelLoop.Timing run(
      KubernetesClient client, List<Deployment> targets, int threads, boolean events) {
    List<Deployment> intents = targets.stream().map(PlainApplyLoop::intent).toList();
    return ParallelLoop.run(
        intents.size(),
        threads,
        i -> {
          Deployment applied =
              client
                  .apps()
                  .deployments()
                  .inNamespace(intents.get(i).getMetadata().getNamespace())
                  .resource(intents.get(i))
                  .fieldManager(FIELD_MANAGER)
                  .forceConflicts()
                  .serverSideApply();
          if (events) {
            client
                .v1()
                .events()
                .inNamespace(applied.getMetadata().getNamespace())
                .resource(event(applied))
                .create();
          }
        });
  }

  private static Event event(Deployment d) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(d.getMetadata().getName() + ".")
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(d.getMetadata().getName())
        .withNamespace(d.getMetadata().getNamespace())
        .withUid(d.getMetadata().getUid())
        .endInvolvedObject()
        .withType("Normal")
        .withReason("Tuned")
        .withMessage("container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS")
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource()
        .withComponent(FIELD_MANAGER)
        .endSource()
        .build();
  }

  static Deployment intent(Deployment current) {
    var podSpec = current.getSpec().getTemplate().getSpec();
    var evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(), current.getMetadata().getAnnotations(), podSpec);
    Map<String, String> values = evaluation.desiredValues();
    String envVar = PolicySettings.defaults().optionsEnvVar();
    List<Container> containers =
        podSpec.getContainers().stream()
            .filter(c -> values.containsKey(c.getName()))
            .map(
                c ->
                    new ContainerBuilder()
                        .withName(c.getName())
                        .addNewEnv()
                        .withName(envVar)
                        .withValue(values.get(c.getName()))
                        .endEnv()
                        .build())
            .toList();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(current.getMetadata().getName())
        .withNamespace(current.getMetadata().getNamespace())
        .withAnnotations(Map.of(Annotations.TUNED_BY, "bench"))
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withContainers(containers)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
