package io.runtimepolicy.operator.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manifests as teams write them: comments, both list indent styles, every quoting style. */
final class Manifests {

  private Manifests() {}

  /** A Deployment needing JAVA_TOOL_OPTIONS, its containers list indented under its key. */
  static final String DEPLOYMENT =
      """
      # checkout service
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: checkout
        namespace: shop
        annotations:
          runtimepolicy.io/java-tuning: "enabled"   # opt in
      spec:
        selector:
          matchLabels: {app: checkout}
        template:
          metadata:
            labels: {app: checkout}
          spec:
            containers:
              - name: app
                image: eclipse-temurin:17-jre
                env:
                  - name: LOG_LEVEL
                    value: info  # plain
                  - name: JAVA_TOOL_OPTIONS
                    value: '-Xss512k -XX:ActiveProcessorCount=16'
                resources:
                  limits: {cpu: "2", memory: 1Gi}
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  timeoutSeconds: 1
      """;

  /** A StatefulSet without env, compact list style. */
  static final String STATEFUL_SET =
      """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: ledger
        annotations:
          runtimepolicy.io/java-tuning: enabled
      spec:
        serviceName: ledger
        selector:
          matchLabels: {app: ledger}
        template:
          metadata:
            labels: {app: ledger}
          spec:
            containers:
            - name: db
              image: ledger:1
              resources:
                requests:
                  cpu: 1500m
            # sidecars follow
      """;

  /** A DaemonSet of a Go agent with GOMAXPROCS written plain (as a string). */
  static final String DAEMON_SET =
      """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: agent
        annotations:
          runtimepolicy.io/go-tuning: "enabled"
      spec:
        selector:
          matchLabels: {app: agent}
        template:
          metadata:
            labels: {app: agent}
          spec:
            containers:
            - name: agent
              image: agent:2
              env:
              - {name: GOMAXPROCS, value: "64"}
              resources:
                limits:
                  cpu: 500m
                  memory: 256Mi
      """;

  /** A CronJob whose liveness probe outlasts the app's read timeout: a Violation. */
  static final String CRON_JOB =
      """
      apiVersion: batch/v1
      kind: CronJob
      metadata:
        name: report
        annotations:
          runtimepolicy.io/java-tuning: "enabled"
          runtimepolicy.io/app-read-timeout: 3s
      spec:
        schedule: "0 3 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: OnFailure
                containers:
                - name: report
                  image: report:1
                  resources:
                    limits: {cpu: "1"}
                  livenessProbe:
                    exec: {command: [true]}
                    timeoutSeconds: 10
      """;

  /** A Job already carrying what the policy computes: Tuned. */
  static final String JOB =
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate
        annotations:
          runtimepolicy.io/java-tuning: "enabled"
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: migrate
              image: migrate:1
              env:
              - name: JAVA_TOOL_OPTIONS
                value: "-XX:ActiveProcessorCount=1"
              resources:
                limits: {cpu: 250m}
      """;

  /** A workload that does not opt in. */
  static final String UNGOVERNED =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: static-site
      spec:
        selector:
          matchLabels: {app: site}
        template:
          metadata:
            labels: {app: site}
          spec:
            containers:
            - name: nginx
              image: nginx
      """;

  static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: checkout
      spec:
        ports:
        - port: 80
      """;

  static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data:
        JAVA_TOOL_OPTIONS: "-Xmx1g"
      """;

  /** Documents joined as one multi-document YAML stream. */
  static String stream(String... documents) {
    return String.join("---\n", documents);
  }

  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
