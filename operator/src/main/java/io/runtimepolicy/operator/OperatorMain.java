package io.runtimepolicy.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runtimepolicy.operator.check.CheckMain;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.operator.health.HealthServer;
import io.runtimepolicy.operator.health.PolicyInformers;
import io.runtimepolicy.operator.health.Readiness;
import io.runtimepolicy.operator.reconciler.ReconcilerContext;
import io.runtimepolicy.operator.reconciler.RuntimePolicyReconciler;
import io.runtimepolicy.operator.reports.ReportApi;
import io.runtimepolicy.operator.webhook.AdmissionServer;
import io.runtimepolicy.operator.webhook.WebhookServerConfig;
import io.runtimepolicy.operator.webhook.WorkloadAdmission;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wiring only: configuration, client, operator, health/metrics and webhook servers. */
public final class OperatorMain {

  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    // The image's entrypoint runs this class: `docker run IMAGE check -f -` is the CLI, offline.
    if (args.length > 0 && (args[0].equals("check") || args[0].equals("fix"))) {
      CheckMain.main(args);
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("Invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = OperatorClient.build();
    String problem =
        StartupCheck.problem(
            client, config.injectEnabled(), !config.stalePodScanInterval().isZero());
    if (problem != null) {
      log.error("Cannot start: {}", problem);
      System.exit(1);
    }
    RunningOperator running = start(config, client);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
    log.info("runtime-policy-operator started: health and metrics on :{}", running.healthPort());
  }

  /** Starts everything; also used by tests that run the operator in-process. */
  public static RunningOperator start(OperatorConfig config, KubernetesClient client)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    ReportApi reports =
        config.reportsEnabled() ? new ReportApi(client, config.reportsCheckInterval()) : null;
    ReconcilerContext context =
        ReconcilerContext.create(
            client,
            registry,
            config.defaultPolicy(),
            config.deploymentLabelSelector(),
            config.watchNamespaces(),
            config.resultsLimit(),
            config.writeConcurrency(),
            config.injectEnabled(),
            config.untunedPodScanInterval(),
            config.stalePodScanInterval(),
            config.resyncPeriod(),
            reports);
    LeadershipGuard leadership = new LeadershipGuard();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    leadership.configuration(config.leaseName(), config.leaseNamespace()));
              }
            });
    var registered =
        operator.register(
            new RuntimePolicyReconciler(context),
            o -> {
              o.withReconciliationMaxInterval(config.resyncPeriod());
              if (config.watchNamespaces().isEmpty()) {
                o.watchingAllNamespaces();
              } else {
                o.settingNamespaces(config.watchNamespaces());
              }
            });
    PolicyInformers controllerPolicies = new PolicyInformers(registered);
    context
        .policies()
        .startEarly(
            client,
            List.copyOf(config.watchNamespaces()),
            Readiness.once(controllerPolicies::synced));
    // The webhook listens before the reconciler starts: the reconciler's writes are completed by
    // it, and a workload applied right after the pod turns ready must be tuned in its own write.
    // Until the policy cache exists it admits everything unchanged.
    AdmissionServer webhook =
        config.webhookEnabled() ? startWebhook(config, context, registry) : null;
    // Before the operator starts: its start returns once every workload cache has listed, which
    // takes most of a minute over 100,000 workloads, and the webhook needs only the policies'.
    Readiness readiness = readiness(context, controllerPolicies, webhook);
    HealthServer health =
        new HealthServer(config.healthPort(), readiness, registry::scrape).start();
    try {
      operator.start();
    } catch (RuntimeException e) {
      health.close();
      if (webhook != null) {
        webhook.close();
      }
      context.close();
      throw e;
    }
    // With leader election the start returns at once and the controllers start on leadership.
    if (!config.leaderElection()) {
      log.info(
          "Workload caches synced {} s after the JVM started",
          String.format(
              Locale.ROOT, "%.1f", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0));
    }
    // After the start: the first lookup may wake every policy, which needs a running controller.
    if (reports != null) {
      reports.start();
    }
    Runnable beforeStop =
        () -> {
          readiness.stopping();
          leadership.stopping();
        };
    return webhook == null
        ? new RunningOperator(operator, health, beforeStop, context)
        : new RunningOperator(operator, health, beforeStop, webhook, context);
  }

  // What a webhook Service endpoint needs (docs in README, /readyz). Not JOSDK's
  // allEventSourcesAreHealthy(): it counts a watch being re-established as unhealthy (issue 24).
  // The policies are the ones the webhook answers from: early ones while the operator starts.
  private static Readiness readiness(
      ReconcilerContext context, PolicyInformers controllerPolicies, AdmissionServer webhook) {
    List<Readiness.Check> checks = new ArrayList<>();
    if (webhook != null) {
      checks.add(new Readiness.Check("webhook server not listening", webhook::serving));
    }
    checks.add(
        new Readiness.Check(
            "policies not synced yet", Readiness.once(context.policies()::isReady)));
    checks.add(
        new Readiness.Check(
            "policy informer stopped",
            () -> controllerPolicies.running() && context.policies().earlyRunning()));
    return new Readiness(checks);
  }

  private static AdmissionServer startWebhook(
      OperatorConfig config, ReconcilerContext context, PrometheusMeterRegistry registry) {
    AdmissionServer webhook =
        new AdmissionServer(
                new WebhookServerConfig(
                    config.webhookPort(),
                    config.webhookCertFile(),
                    config.webhookKeyFile(),
                    config.webhookReadTimeout(),
                    WebhookServerConfig.DEFAULT_WRITE_TIMEOUT,
                    WebhookServerConfig.DEFAULT_IDLE_TIMEOUT,
                    WebhookServerConfig.DEFAULT_MAX_BODY_BYTES,
                    WebhookServerConfig.DEFAULT_WORKERS),
                new WorkloadAdmission(context.governance(), context.podWorkloads()::of),
                registry)
            .start();
    log.info("Admission webhook serving HTTPS on :{}", webhook.port());
    return webhook;
  }
}
