package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Events on Deployments so {@code kubectl describe deploy} shows what the operator did and
 * found. A failure to record is logged and never fails the reconcile.
 */
final class DeploymentEvents {

  static final String COMPONENT = "runtime-policy-operator";

  private static final Logger log = LoggerFactory.getLogger(DeploymentEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  DeploymentEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void normal(Deployment deployment, String reason, String message) {
    record(deployment, "Normal", reason, message);
  }

  void warning(Deployment deployment, String reason, String message) {
    record(deployment, "Warning", reason, message);
  }

  private void record(Deployment deployment, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    var meta = deployment.getMetadata();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(
          new EventBuilder()
              .withNewMetadata().withGenerateName(meta.getName() + ".").withNamespace(meta.getNamespace()).endMetadata()
              .withNewInvolvedObject()
              .withApiVersion("apps/v1").withKind("Deployment")
              .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
              .endInvolvedObject()
              .withType(type).withReason(reason).withMessage(message)
              .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
              .withNewSource().withComponent(COMPONENT).endSource()
              .build())
          .create();
    } catch (KubernetesClientException e) {
      log.warn("Could not record Event {} on Deployment {}/{}: {}", reason, meta.getNamespace(), meta.getName(), e.getMessage());
    }
  }
}
