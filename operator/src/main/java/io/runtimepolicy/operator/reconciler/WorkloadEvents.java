package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events on workloads so {@code kubectl describe} shows what the operator did and found.
 * They are written in the background after the workload writes, stamped with the time of the
 * action; a failure to write is logged and never fails the reconcile.
 */
final class WorkloadEvents implements AutoCloseable {

  static final String COMPONENT = "runtime-policy-operator";

  private static final Logger log = LoggerFactory.getLogger(WorkloadEvents.class);

  /** What an Event needs, without holding on to the workload while it waits. */
  private record Pending(
      String apiVersion,
      String kind,
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
   * {@code workloadWritesPending}: Events wait for those, up to {@link
   * EventQueue#DEFAULT_MAX_DELAY}.
   */
  WorkloadEvents(
      KubernetesClient client,
      Clock clock,
      MeterRegistry registry,
      BooleanSupplier workloadWritesPending) {
    this.client = client;
    this.clock = clock;
    this.written = events("written", registry);
    this.failed = events("failed", registry);
    Counter dropped = events("dropped", registry);
    this.queue =
        new EventQueue<>(
            EventQueue.DEFAULT_CAPACITY,
            EventQueue.DEFAULT_MAX_DELAY,
            workloadWritesPending,
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
        .description("Events the operator recorded on workloads, by result")
        .register(registry);
  }

  void normal(WorkloadKind<?> kind, HasMetadata workload, String reason, String message) {
    record(kind, workload, "Normal", reason, message);
  }

  void warning(WorkloadKind<?> kind, HasMetadata workload, String reason, String message) {
    record(kind, workload, "Warning", reason, message);
  }

  /**
   * An Event on an object known only by its reference, such as the owner of injected pods; a null
   * {@code uid} still shows in {@code kubectl get events}, but not in {@code kubectl describe}.
   */
  void about(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      String uid,
      boolean warning,
      String reason,
      String message) {
    queue.add(
        new Pending(
            apiVersion,
            kind,
            namespace,
            name,
            uid,
            warning ? "Warning" : "Normal",
            reason,
            message,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  @Override
  public void close() {
    queue.close();
  }

  private void record(
      WorkloadKind<?> kind, HasMetadata workload, String type, String reason, String message) {
    var meta = workload.getMetadata();
    queue.add(
        new Pending(
            kind.apiVersion(),
            kind.kind(),
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
                  .withApiVersion(e.apiVersion())
                  .withKind(e.kind())
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
          "Could not record Event {} on {} {}/{}: HTTP {} {}",
          e.reason(),
          e.kind(),
          e.namespace(),
          e.name(),
          ex.getCode(),
          ex.getStatus() == null ? ex.getMessage() : ex.getStatus().getReason());
    }
  }
}
