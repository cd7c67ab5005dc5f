package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.reports.Report;
import io.runtimepolicy.operator.reports.ReportApi;
import java.util.Set;

/**
 * Wakes every policy when the OpenReports API becomes served, so each one's Report is written by
 * its own reconcile from the status that reconcile computes: no Report is written from a cached
 * status that a reconcile in flight is about to replace.
 */
final class ReportApiSource extends AbstractEventSource<Report, RuntimePolicy> {

  private final IndexedResourceCache<RuntimePolicy> policies;

  ReportApiSource(ReportApi api, IndexedResourceCache<RuntimePolicy> policies) {
    super(Report.class, "report-api");
    this.policies = policies;
    api.onServed(this::wakeAll);
  }

  private void wakeAll() {
    EventHandler handler = getEventHandler();
    if (handler != null && isRunning()) {
      policies.list().forEach(p -> handler.handleEvent(new Event(ResourceID.fromResource(p))));
    }
  }

  @Override
  public Set<Report> getSecondaryResources(RuntimePolicy primary) {
    return Set.of();
  }
}
