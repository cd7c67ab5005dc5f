package io.runtimepolicy.operator.reports;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the OpenReports API is served, and the Report reads and writes. The API is looked up by
 * discovery every {@code interval}, so a CRD installed after the operator started (Kyverno, Policy
 * Reporter, the chart's own) is noticed within one interval with no restart. Each change of whether
 * it is served is one log line; an absent API is no error.
 */
public final class ReportApi implements AutoCloseable {

  public static final String GROUP_VERSION = "openreports.io/v1alpha1";
  public static final String FIELD_MANAGER = "runtime-policy-operator";

  private static final Logger log = LoggerFactory.getLogger(ReportApi.class);

  private final KubernetesClient client;
  private final Duration interval;
  private final AtomicReference<Boolean> served = new AtomicReference<>();
  private final ScheduledExecutorService checks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "report-api-check");
            t.setDaemon(true);
            return t;
          });
  private volatile Runnable onServed = () -> {};

  public ReportApi(KubernetesClient client, Duration interval) {
    this.client = client;
    this.interval = interval;
  }

  /** {@code action} runs each time the API becomes served (the reconciler reports every policy). */
  public void onServed(Runnable action) {
    this.onServed = action;
  }

  /** Looks the API up now and every interval after. */
  public ReportApi start() {
    checks.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Whether Reports can be written, as of the last lookup. */
  public boolean served() {
    return Boolean.TRUE.equals(served.get());
  }

  void check() {
    boolean now;
    try {
      APIResourceList resources = client.getApiResources(GROUP_VERSION);
      now =
          resources != null
              && resources.getResources().stream().anyMatch(r -> "reports".equals(r.getName()));
    } catch (KubernetesClientException e) {
      // The API server not answering says nothing about the API: the next lookup decides.
      log.debug("Could not look up {}: {}", GROUP_VERSION, e.getMessage());
      return;
    }
    log.debug("Looked up {}: {}", GROUP_VERSION, now ? "served" : "not served");
    changed(now);
  }

  /** A write found the API gone (its CRD deleted): no more writes until a lookup finds it. */
  public void gone() {
    changed(false);
  }

  private void changed(boolean now) {
    Boolean before = served.getAndSet(now);
    if (before != null && before == now) {
      return;
    }
    if (now) {
      log.info("OpenReports API {} found: writing one Report per RuntimePolicy", GROUP_VERSION);
      onServed.run();
    } else {
      log.info(
          "OpenReports API {} is not installed: no Reports are written; looking again every {}s",
          GROUP_VERSION,
          interval.toSeconds());
    }
  }

  /** The Report {@code namespace/name}, if it exists. */
  public Optional<Report> get(String namespace, String name) {
    return Optional.ofNullable(
        client.resources(Report.class).inNamespace(namespace).withName(name).get());
  }

  /** Server-side applies {@code report}: the operator owns every field it sets. */
  public void apply(Report report) {
    client.resource(report).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
