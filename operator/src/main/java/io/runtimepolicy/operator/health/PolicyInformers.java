package io.runtimepolicy.operator.health;

import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import java.util.List;

/**
 * The informers of one controller's primary resource (the RuntimePolicies the webhook reads), one
 * per watched namespace, as readiness needs them. Deliberately not their {@code isWatching()}: it
 * is false for the second a watch takes to reconnect, which JOSDK's own health check counts as
 * unhealthy, and the cache answers from what it has meanwhile.
 */
public final class PolicyInformers {

  private final RegisteredController<?> controller;

  /**
   * {@code controller} as {@code register} returned it: the operator's runtime info would wait for
   * the controllers' start to finish, which needs the mappers that ask this.
   */
  public PolicyInformers(RegisteredController<?> controller) {
    this.controller = controller;
  }

  /** Every informer has listed once (has synced). */
  public boolean synced() {
    List<InformerHealthIndicator> informers = informers();
    return !informers.isEmpty() && informers.stream().allMatch(InformerHealthIndicator::hasSynced);
  }

  /** None has stopped: fabric8 stops an informer only on an error it will not retry. */
  public boolean running() {
    return informers().stream().allMatch(InformerHealthIndicator::isRunning);
  }

  private List<InformerHealthIndicator> informers() {
    return controller.getControllerHealthInfo().eventSourceHealthIndicators().values().stream()
        .filter(ControllerEventSource.class::isInstance)
        .map(InformerWrappingEventSourceHealthIndicator.class::cast)
        .flatMap(source -> source.informerHealthIndicators().values().stream())
        .map(InformerHealthIndicator.class::cast)
        .toList();
  }
}
