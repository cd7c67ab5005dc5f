package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.reports.ReportApi;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the reconciler needs from the process around it, wired once by the operator's main.
 *
 * @param injectEnabled whether the Pod webhook is registered (Inject mode) and pods may be watched
 * @param untunedPodScanInterval how often a namespace's unmarked pods are listed (Inject mode)
 * @param stalePodScanInterval how often a namespace's pods are listed for stale ones (Enforce and
 *     Audit mode); zero: never, and pods are not in the operator's RBAC
 * @param podWorkloads the governed workload of a pod, from the reconciler's caches
 * @param resyncPeriod how often every policy is reconciled anyway (JOSDK's maximum interval, which
 *     an explicit reschedule replaces)
 * @param reports the OpenReports API, or null when reports are switched off
 */
public record ReconcilerContext(
    KubernetesClient client,
    Clock clock,
    String deploymentLabelSelector,
    Set<String> watchNamespaces,
    int resultsLimit,
    PolicyCache policies,
    Governance governance,
    DefaultPolicyProvisioner provisioner,
    ExecutorService writers,
    WorkloadEvents events,
    Counter patchedCounter,
    boolean injectEnabled,
    Duration untunedPodScanInterval,
    Duration stalePodScanInterval,
    PodWorkloads podWorkloads,
    Duration resyncPeriod,
    MeterRegistry registry,
    ReportApi reports)
    implements AutoCloseable {

  public static ReconcilerContext create(
      KubernetesClient client,
      MeterRegistry registry,
      RuntimePolicySpec defaultPolicy,
      String deploymentLabelSelector,
      Set<String> watchNamespaces,
      int resultsLimit,
      int writeConcurrency,
      boolean injectEnabled,
      Duration untunedPodScanInterval,
      Duration stalePodScanInterval,
      Duration resyncPeriod,
      ReportApi reports) {
    PolicyCache policies = new PolicyCache();
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor writers =
        (ThreadPoolExecutor)
            Executors.newFixedThreadPool(
                writeConcurrency,
                r -> {
                  Thread t = new Thread(r, "workload-writer-" + threads.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
    Clock clock = Clock.systemUTC();
    Governance governance =
        new Governance(policies, defaultPolicy, ns -> watches(watchNamespaces, ns));
    return new ReconcilerContext(
        client,
        clock,
        deploymentLabelSelector,
        Set.copyOf(watchNamespaces),
        resultsLimit,
        policies,
        governance,
        new DefaultPolicyProvisioner(client, defaultPolicy, policies),
        writers,
        new WorkloadEvents(
            client,
            clock,
            registry,
            () -> writers.getActiveCount() > 0 || !writers.getQueue().isEmpty()),
        Counter.builder("runtimepolicy.deployments.patched")
            .description("Workload writes (tune or give back) made by the operator")
            .register(registry),
        injectEnabled,
        untunedPodScanInterval,
        stalePodScanInterval,
        new PodWorkloads(governance),
        resyncPeriod,
        registry,
        reports);
  }

  /** Whether the operator watches {@code namespace} (no namespaces configured: all). */
  public boolean watches(String namespace) {
    return watches(watchNamespaces, namespace);
  }

  private static boolean watches(Set<String> watchNamespaces, String namespace) {
    return watchNamespaces.isEmpty() || watchNamespaces.contains(namespace);
  }

  @Override
  public void close() {
    policies.close();
    provisioner.close();
    writers.shutdownNow();
    events.close();
    if (reports != null) {
      reports.close();
    }
  }
}
