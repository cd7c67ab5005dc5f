package io.runtimepolicy.operator.check;

import static io.runtimepolicy.operator.check.Manifests.CONFIG_MAP;
import static io.runtimepolicy.operator.check.Manifests.CRON_JOB;
import static io.runtimepolicy.operator.check.Manifests.DAEMON_SET;
import static io.runtimepolicy.operator.check.Manifests.DEPLOYMENT;
import static io.runtimepolicy.operator.check.Manifests.JOB;
import static io.runtimepolicy.operator.check.Manifests.SERVICE;
import static io.runtimepolicy.operator.check.Manifests.STATEFUL_SET;
import static io.runtimepolicy.operator.check.Manifests.UNGOVERNED;
import static io.runtimepolicy.operator.check.Manifests.stream;
import static io.runtimepolicy.operator.check.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runtime-policy check} on real manifests of every kind, read back from its json. */
class CheckCommandTest {

  @TempDir Path dir;

  @Test
  void everyKindInOneStreamIsCheckedAndOtherDocumentsAreSkipped() {
    Path file =
        write(
            dir,
            "all.yaml",
            stream(DEPLOYMENT, SERVICE, STATEFUL_SET, DAEMON_SET, CONFIG_MAP, CRON_JOB, JOB));

    CheckRun run = CheckRun.run("check", "-f", file.toString(), "-o", "json");

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isEqualTo(1); // the CronJob's probe
    JsonNode json = run.json();
    assertThat(json.path("schema").asText()).isEqualTo("runtime-policy.check/v1");
    assertThat(json.path("exitCode").asInt()).isEqualTo(1);
    assertThat(json.path("summary").path("otherDocuments").asInt()).isEqualTo(2);
    assertThat(texts(json.path("workloads"), "kind"))
        .containsExactly("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job");
    assertThat(texts(json.path("workloads"), "state"))
        .containsExactly("Pending", "Pending", "Pending", "Violation", "Tuned");

    JsonNode deployment = json.path("workloads").get(0);
    assertThat(deployment.path("line").asInt()).isEqualTo(2);
    assertThat(deployment.path("policy").asText()).isEqualTo("default");
    assertThat(deployment.path("mode").asText()).isEqualTo("Enforce");
    JsonNode change = deployment.path("changes").get(0);
    assertThat(change.path("container").asText()).isEqualTo("app");
    assertThat(change.path("line").asInt()).isEqualTo(17);
    assertThat(change.path("variable").asText()).isEqualTo("JAVA_TOOL_OPTIONS");
    assertThat(change.path("from").asText()).isEqualTo("-Xss512k -XX:ActiveProcessorCount=16");
    assertThat(change.path("to").asText()).isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");

    JsonNode statefulSet = json.path("workloads").get(1);
    assertThat(statefulSet.path("changes").get(0).path("from").isNull()).isTrue();
    assertThat(statefulSet.path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=2");

    JsonNode daemonSet = json.path("workloads").get(2);
    assertThat(texts(daemonSet.path("changes"), "variable"))
        .containsExactly("GOMAXPROCS", "GOMEMLIMIT");
    assertThat(texts(daemonSet.path("changes"), "to")).containsExactly("1", "230MiB");

    JsonNode violation = json.path("workloads").get(3).path("findings").get(0);
    assertThat(violation.path("reason").asText()).isEqualTo("LivenessTimeoutTooLong");
    assertThat(violation.path("severity").asText()).isEqualTo("Violation");
    assertThat(violation.path("container").asText()).isEqualTo("report");
    assertThat(violation.path("line").asInt())
        .isEqualTo(lineOf(file, "- name: report", json.path("workloads").get(3)));
    assertThat(violation.path("rule").asText()).isEqualTo("probe-timing");
    assertThat(json.path("workloads").get(4).path("changes")).isEmpty();
    // One result per rule, as the OpenReports Report gives it for the same workload.
    assertThat(rules(deployment)).containsExactly("runtime-tuning=warn", "probe-timing=pass");
    assertThat(rules(daemonSet)).containsExactly("runtime-tuning=warn", "probe-timing=skip");
    assertThat(rules(json.path("workloads").get(3)))
        .containsExactly("runtime-tuning=warn", "probe-timing=fail");
    assertThat(rules(json.path("workloads").get(4)))
        .containsExactly("runtime-tuning=pass", "probe-timing=skip");
  }

  private static List<String> rules(JsonNode workload) {
    List<String> rules = new ArrayList<>();
    workload
        .path("rules")
        .forEach(r -> rules.add(r.path("rule").asText() + "=" + r.path("result").asText()));
    return rules;
  }

  @Test
  void listsDirectoriesAndStdinAreRead() {
    String list =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: one
            annotations: {runtimepolicy.io/java-tuning: enabled}
          spec:
            template:
              spec:
                containers: [{name: app, image: a, resources: {limits: {cpu: "4"}}}]
        """;
    write(dir, "apps/list.yaml", list);
    write(dir, "apps/nested/job.yml", JOB);
    write(dir, "apps/README.md", "# not a manifest: apiVersion: v1");

    CheckRun run =
        CheckRun.withStdin(
            STATEFUL_SET, "check", "-f", dir.resolve("apps").toString(), "-f", "-", "-o", "json");

    assertThat(run.err()).isEmpty();
    JsonNode workloads = run.json().path("workloads");
    assertThat(texts(workloads, "name")).containsExactly("one", "migrate", "ledger");
    assertThat(workloads.get(0).path("line").asInt()).isEqualTo(4);
    assertThat(workloads.get(0).path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=4");
    assertThat(workloads.get(2).path("file").asText()).isEqualTo("-");
  }

  @Test
  void aWorkloadThatDoesNotOptInIsReportedAsNotGovernedAndPasses() {
    Path file = write(dir, "site.yaml", UNGOVERNED);

    CheckRun run = CheckRun.run("check", "-f", file.toString(), "-o", "json");

    assertThat(run.exit()).isZero();
    JsonNode workload = run.json().path("workloads").get(0);
    assertThat(workload.path("governed").asBoolean()).isFalse();
    assertThat(workload.path("state").asText()).isEqualTo("NotGoverned");
    assertThat(workload.path("findings")).isEmpty();
  }

  @Test
  void exitCodesSayCleanViolatedOrOnlyValuesAdmissionWouldChange() {
    Path clean = write(dir, "clean.yaml", JOB);
    Path pending = write(dir, "pending.yaml", STATEFUL_SET);
    Path violating = write(dir, "violating.yaml", CRON_JOB);

    assertThat(CheckRun.run("check", "-f", clean.toString()).exit()).isZero();
    assertThat(CheckRun.run("check", "-f", pending.toString()).exit()).isZero();
    assertThat(CheckRun.run("check", "-f", pending.toString(), "--warn-exit-code", "3").exit())
        .isEqualTo(3);
    assertThat(CheckRun.run("check", "-f", clean.toString(), "--warn-exit-code", "3").exit())
        .isZero();
    assertThat(CheckRun.run("check", "-f", violating.toString(), "--warn-exit-code", "3").exit())
        .isEqualTo(1);
    assertThat(CheckRun.run("check", "--bogus").exit()).isEqualTo(2);
    assertThat(CheckRun.run("check").err()).contains("no input").contains("usage:");
    assertThat(CheckRun.run("--help").exit()).isZero();
  }

  @Test
  void unreadableInputNamesFileAndLineAndExitsTwo() {
    Path broken =
        write(dir, "broken.yaml", stream(JOB, "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n"));
    Path wrongType =
        write(
            dir,
            "wrong.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template: 7\n");

    CheckRun yaml = CheckRun.run("check", "-f", broken.toString());
    CheckRun types = CheckRun.run("check", "-f", wrongType.toString());
    CheckRun missing = CheckRun.run("check", "-f", dir.resolve("nope.yaml").toString());
    Path unnamed = write(dir, "unnamed.yaml", JOB.replace("- name: migrate\n", "- image: x\n"));

    assertThat(yaml.exit()).isEqualTo(2);
    int line = lineOf(broken, "metadata: {name: [x", run0());
    assertThat(yaml.err())
        .matches("(?s)\\Q" + broken + "\\E:(" + line + "|" + (line + 1) + "): not valid YAML.*");
    assertThat(types.exit()).isEqualTo(2);
    assertThat(types.err()).startsWith(wrongType + ":1: not a valid Deployment");
    assertThat(CheckRun.run("check", "-f", unnamed.toString()).err())
        .startsWith(
            unnamed + ":" + lineOf(unnamed, "- image: x", run0()) + ": a container without a name");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml: no such file or directory");
  }

  @Test
  void aPolicyFileOrAPolicyInTheInputGovernsTheWorkloadsThatNameIt() {
    String batch =
        """
        apiVersion: runtimepolicy.io/v1alpha1
        kind: RuntimePolicy
        metadata: {name: batch}
        spec:
          java: {rounding: Floor, maxRAMPercentage: 50}
        """;
    Path policy = write(dir, "policy.yaml", batch.replace("batch", "default"));
    Path statefulSet = write(dir, "sts.yaml", STATEFUL_SET);
    String named =
        STATEFUL_SET.replace(
            "java-tuning: enabled", "java-tuning: enabled\n    runtimepolicy.io/policy: batch");
    Path withPolicy = write(dir, "named.yaml", stream(batch, named));

    JsonNode byFile =
        CheckRun.run(
                "check", "-f", statefulSet.toString(), "--policy", policy.toString(), "-o", "json")
            .json();
    JsonNode inInput = CheckRun.run("check", "-f", withPolicy.toString(), "-o", "json").json();
    JsonNode missing =
        CheckRun.run("check", "-f", write(dir, "lone.yaml", named).toString(), "-o", "json").json();

    assertThat(byFile.path("workloads").get(0).path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=1");
    assertThat(inInput.path("workloads").get(0).path("policy").asText()).isEqualTo("batch");
    assertThat(inInput.path("workloads").get(0).path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=1");
    assertThat(missing.path("workloads").get(0).path("state").asText()).isEqualTo("NotGoverned");
    assertThat(missing.path("workloads").get(0).path("findings").get(0).path("reason").asText())
        .isEqualTo("PolicyNotFound");
  }

  @Test
  void aCustomRuntimeOfThePolicyFileIsCheckedLikeABuiltInOne() {
    Path policy =
        write(
            dir,
            "tokio-policy.yaml",
            """
            apiVersion: runtimepolicy.io/v1alpha1
            kind: RuntimePolicy
            metadata: {name: default}
            spec:
              custom:
              - name: tokio
                env:
                - {name: TOKIO_WORKER_THREADS, value: Processors}
            """);
    Path statefulSet =
        write(
            dir,
            "tokio-sts.yaml",
            STATEFUL_SET.replace("runtimepolicy.io/java-tuning", "runtimepolicy.io/tokio-tuning"));

    JsonNode checked =
        CheckRun.run(
                "check", "-f", statefulSet.toString(), "--policy", policy.toString(), "-o", "json")
            .json();
    JsonNode undeclared = CheckRun.run("check", "-f", statefulSet.toString(), "-o", "json").json();

    JsonNode change = checked.path("workloads").get(0).path("changes").get(0);
    assertThat(change.path("variable").asText()).isEqualTo("TOKIO_WORKER_THREADS");
    assertThat(change.path("to").asText()).isEqualTo("2");
    assertThat(undeclared.path("workloads").get(0).path("findings").get(0).path("reason").asText())
        .isEqualTo("RuntimeUnknown");
  }

  @Test
  void theDefaultPolicyComesFromTheSameVariableTheChartSets() {
    Path file = write(dir, "sts.yaml", STATEFUL_SET);

    CheckRun run =
        CheckRun.withEnv(
            java.util.Map.of(
                "RUNTIMEPOLICY_DEFAULT_POLICY",
                "{\"java\":{\"rounding\":\"Floor\"}}",
                "RUNTIMEPOLICY_WEBHOOK_PORT",
                "x"),
            "",
            "check",
            "-f",
            file.toString(),
            "-o",
            "json");

    assertThat(run.json().path("workloads").get(0).path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=1");
  }

  @Test
  void underAnInjectPolicyPodsGetTheValuesAndTheWorkloadStaysAsWritten() {
    String inject =
        """
        apiVersion: runtimepolicy.io/v1alpha1
        kind: RuntimePolicy
        metadata: {name: default}
        spec: {mode: Inject}
        """;
    String template =
        STATEFUL_SET
            .replace("  annotations:\n    runtimepolicy.io/java-tuning: enabled\n", "")
            .replace(
                "      labels: {app: ledger}\n",
                "      labels: {app: ledger}\n      annotations: {runtimepolicy.io/java-tuning: enabled}\n");
    String pod =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: one-off
          annotations: {runtimepolicy.io/java-tuning: enabled}
        spec:
          containers: [{name: app, image: a, resources: {limits: {cpu: "3"}}}]
        """;
    Path file = write(dir, "inject.yaml", stream(inject, template, pod, STATEFUL_SET));

    JsonNode workloads =
        CheckRun.run("check", "-f", file.toString(), "-o", "json").json().path("workloads");

    assertThat(texts(workloads, "kind")).containsExactly("StatefulSet", "Pod", "StatefulSet");
    assertThat(texts(workloads, "target")).containsExactly("Pods", "Manifest", "Pods");
    assertThat(workloads.get(0).path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=2");
    assertThat(workloads.get(1).path("changes").get(0).path("to").asText())
        .isEqualTo("-XX:ActiveProcessorCount=3");
    assertThat(workloads.get(2).path("findings").get(0).path("reason").asText())
        .isEqualTo("InjectOptInOnWorkload");
  }

  static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.path(field).asText())
        .toList();
  }

  private static JsonNode run0() {
    return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("line", 1);
  }

  private static int lineOf(Path file, String text, JsonNode workload) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(file);
      for (int i = workload.path("line").asInt() - 1; i < lines.size(); i++) {
        if (lines.get(i).contains(text)) {
          return i + 1;
        }
      }
      return -1;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
