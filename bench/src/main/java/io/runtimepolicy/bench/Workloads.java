package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deployments shaped like what teams run: one JVM container with requests and limits, three probes,
 * a handful of env vars (JAVA_TOOL_OPTIONS among them), a config volume; optionally the {@code
 * kubectl.kubernetes.io/last-applied-configuration} annotation that {@code kubectl apply} writes
 * (the whole manifest again, about 2.5 KB here).
 */
final class Workloads {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String CPU_LIMIT = "1500m";
  static final String USER_OPTIONS = "-XX:+UseG1GC -XX:MaxRAMPercentage=75 -Dfile.encoding=UTF-8";

  private Workloads() {}

  /** Opted in; {@code policy} null means the {@code default} policy (no policy annotation). */
  static Deployment governed(String namespace, String name, String policy, boolean lastApplied) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    if (policy != null) {
      annotations.put(Annotations.POLICY, policy);
    }
    return build(namespace, name, annotations, 1, lastApplied);
  }

  static Deployment ungoverned(String namespace, String name, boolean lastApplied) {
    return build(namespace, name, new LinkedHashMap<>(), 1, lastApplied);
  }

  /** Governed, with a liveness timeout above the default app read timeout: a warning. */
  static Deployment violating(String namespace, String name) {
    Map<String, String> annotations =
        new LinkedHashMap<>(Map.of(Annotations.JAVA_TUNING, "enabled"));
    return build(namespace, name, annotations, 10, false);
  }

  private static Deployment build(
      String namespace,
      String name,
      Map<String, String> annotations,
      int livenessTimeout,
      boolean lastApplied) {
    Map<String, String> labels =
        Map.of(
            "app.kubernetes.io/name",
            name,
            "app.kubernetes.io/part-of",
            "shop",
            "team",
            "checkout");
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withRevisionHistoryLimit(5)
            .withNewSelector()
            .withMatchLabels(Map.of("app.kubernetes.io/name", name))
            .endSelector()
            .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxSurge(new IntOrString("25%"))
            .withMaxUnavailable(new IntOrString(0))
            .endRollingUpdate()
            .endStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8081"))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("checkout")
            .withTerminationGracePeriodSeconds(30L)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(10001L)
            .endSecurityContext()
            .withContainers(
                new ContainerBuilder()
                    .withName("app")
                    .withImage("registry.example.com/shop/" + name + ":1.42.0")
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(8080)
                    .endPort()
                    .addNewPort()
                    .withName("management")
                    .withContainerPort(8081)
                    .endPort()
                    .addNewEnv()
                    .withName("JAVA_TOOL_OPTIONS")
                    .withValue(USER_OPTIONS)
                    .endEnv()
                    .addNewEnv()
                    .withName("SPRING_PROFILES_ACTIVE")
                    .withValue("production")
                    .endEnv()
                    .addNewEnv()
                    .withName("SERVER_PORT")
                    .withValue("8080")
                    .endEnv()
                    .addNewEnv()
                    .withName("MANAGEMENT_SERVER_PORT")
                    .withValue("8081")
                    .endEnv()
                    .addNewEnv()
                    .withName("DB_URL")
                    .withValue("jdbc:postgresql://postgres.shop.svc:5432/" + name)
                    .endEnv()
                    .addNewEnv()
                    .withName("LOG_FORMAT")
                    .withValue("json")
                    .endEnv()
                    .withNewResources()
                    .withRequests(
                        Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
                    .withLimits(
                        Map.of("cpu", new Quantity(CPU_LIMIT), "memory", new Quantity("2Gi")))
                    .endResources()
                    .withLivenessProbe(probe("/actuator/health/liveness", livenessTimeout, 10, 3))
                    .withReadinessProbe(probe("/actuator/health/readiness", 1, 5, 3))
                    .withStartupProbe(probe("/actuator/health/liveness", 1, 5, 30))
                    .addNewVolumeMount()
                    .withName("config")
                    .withMountPath("/config")
                    .withReadOnly(true)
                    .endVolumeMount()
                    .addNewVolumeMount()
                    .withName("tmp")
                    .withMountPath("/tmp")
                    .endVolumeMount()
                    .build())
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName(name + "-config")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("256Mi"))
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    if (lastApplied) {
      deployment
          .getMetadata()
          .getAnnotations()
          .put(LAST_APPLIED, Serialization.asJson(deployment) + "\n");
    }
    return deployment;
  }

  /**
   * {@code deployment}'s metadata and pod template as a workload of {@code kind}: a StatefulSet,
   * DaemonSet, Job or CronJob with what the API server requires of it, else the Deployment.
   */
  static HasMetadata as(String kind, Deployment deployment) {
    ObjectMeta meta = deployment.getMetadata();
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    LabelSelector selector = deployment.getSpec().getSelector();
    return switch (kind) {
      case "Deployment" -> deployment;
      case "StatefulSet" ->
          new StatefulSetBuilder()
              .withMetadata(meta)
              .withNewSpec()
              .withServiceName(meta.getName())
              .withSelector(selector)
              .withTemplate(template)
              .endSpec()
              .build();
      case "DaemonSet" ->
          new DaemonSetBuilder()
              .withMetadata(meta)
              .withNewSpec()
              .withSelector(selector)
              .withTemplate(template)
              .endSpec()
              .build();
      case "Job" ->
          new JobBuilder()
              .withMetadata(meta)
              .withNewSpec()
              .withTemplate(runToCompletion(template))
              .endSpec()
              .build();
      case "CronJob" ->
          new CronJobBuilder()
              .withMetadata(meta)
              .withNewSpec()
              .withSchedule("0 3 * * *")
              .withNewJobTemplate()
              .withNewSpec()
              .withTemplate(runToCompletion(template))
              .endSpec()
              .endJobTemplate()
              .endSpec()
              .build();
      default -> throw new IllegalArgumentException("not a governed kind: " + kind);
    };
  }

  /** A Job's pods may not restart always (the API server refuses Always). */
  private static PodTemplateSpec runToCompletion(PodTemplateSpec template) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    copy.getSpec().setRestartPolicy("Never");
    return copy;
  }

  private static io.fabric8.kubernetes.api.model.Probe probe(
      String path, int timeout, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("management"))
        .endHttpGet()
        .withTimeoutSeconds(timeout)
        .withPeriodSeconds(period)
        .withFailureThreshold(failures)
        .build();
  }
}
