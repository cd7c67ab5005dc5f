package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events on Deployments so {@code kubectl describe deploy} shows what the operator did and
 * found. They are written in the background after the Deployment writes, stamped with the time of
 * the action; a failure to write is logged and never fails the reconcile.
 */
final class DeploymentEvents implements AutoCloseable {

  static final String COMPONENT = "runtime-policy-operator";

  private static final Logger log = LoggerFactory.getLogger(DeploymentEvents.class);

  /** What an Event needs, without holding on to the Deployment while it waits. */
  private record Pending(
      String namespace,
      String name,
      String uid,
      String type,
      String reason,
      String message,
      String time) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final EventQueue<Pending> queue;
  private final Counter written;
  private final Counter failed;

  /**
   * {@code deploymentWritesPending}: Events wait for those, up to {@link
   * EventQueue#DEFAULT_MAX_DELAY}.
   */
  DeploymentEvents(
      KubernetesClient client,
      Clock clock,
      MeterRegistry registry,
      BooleanSupplier deploymentWritesPending) {
    this.client = client;
    this.clock = clock;
    this.written = events("written", registry);
    this.failed = events("failed", registry);
    Counter dropped = events("dropped", registry);
    this.queue =
        new EventQueue<>(
            EventQueue.DEFAULT_CAPACITY,
            EventQueue.DEFAULT_MAX_DELAY,
            deploymentWritesPending,
            this::write,
            dropped::increment);
    Gauge.builder("runtimepolicy.events.pending", queue, EventQueue::pending)
        .description("Events waiting to be written")
        .register(registry);
  }

  /**
   * Events by what became of them: written, failed (refused by the API server) or dropped (queue
   * full).
   */
  private static Counter events(String result, MeterRegistry registry) {
    return Counter.builder("runtimepolicy.events")
        .tag("result", result)
        .description("Events the operator recorded on Deployments, by result")
        .register(registry);
  }

  void normal(Deployment deployment, String reason, String message) {
    record(deployment, "Normal", reason, message);
  }

  void warning(Deployment deployment, String reason, String message) {
    record(deployment, "Warning", reason, message);
  }

  @Override
  public void close() {
    queue.close();
  }

  private void record(Deployment deployment, String type, String reason, String message) {
    var meta = deployment.getMetadata();
    queue.add(
        new Pending(
            meta.getNamespace(),
            meta.getName(),
            meta.getUid(),
            type,
            reason,
            message,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  private void write(Pending e) {
    try {
      client
          .v1()
          .events()
          .inNamespace(e.namespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(e.name() + ".")
                  .withNamespace(e.namespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("apps/v1")
                  .withKind("Deployment")
                  .withName(e.name())
                  .withNamespace(e.namespace())
                  .withUid(e.uid())
                  .endInvolvedObject()
                  .withType(e.type())
                  .withReason(e.reason())
                  .withMessage(e.message())
                  .withFirstTimestamp(e.time())
                  .withLastTimestamp(e.time())
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
      written.increment();
    } catch (KubernetesClientException ex) {
      failed.increment();
      log.warn(
          "Could not record Event {} on Deployment {}/{}: HTTP {} {}",
          e.reason(),
          e.namespace(),
          e.name(),
          ex.getCode(),
          ex.getStatus() == null ? ex.getMessage() : ex.getStatus().getReason());
    }
  }
}
