package io.runtimepolicy.operator.check;

import static io.runtimepolicy.operator.check.Manifests.CRON_JOB;
import static io.runtimepolicy.operator.check.Manifests.JOB;
import static io.runtimepolicy.operator.check.Manifests.STATEFUL_SET;
import static io.runtimepolicy.operator.check.Manifests.UNGOVERNED;
import static io.runtimepolicy.operator.check.Manifests.stream;
import static io.runtimepolicy.operator.check.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Each output format, parsed back the way its consumer parses it. */
class OutputFormatsTest {

  @TempDir Path dir;
  Path file;
  int reportContainerLine;
  int ledgerContainerLine;

  @BeforeEach
  void manifests() throws Exception {
    file = write(dir, "apps.yaml", stream(STATEFUL_SET, CRON_JOB, JOB, UNGOVERNED));
    List<String> lines = java.nio.file.Files.readAllLines(file);
    reportContainerLine = lineOf(lines, "- name: report");
    ledgerContainerLine = lineOf(lines, "- name: db");
  }

  @Test
  void sarifIsMinimalValid210WithRulesLevelsAndLocations() {
    CheckRun run = CheckRun.run("check", "-f", file.toString(), "-o", "sarif");

    assertThat(run.exit()).isEqualTo(1);
    JsonNode sarif = run.json();
    assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.path("$schema").asText()).contains("sarif-2.1.0");
    JsonNode runNode = sarif.path("runs").get(0);
    assertThat(runNode.path("tool").path("driver").path("name").asText())
        .isEqualTo("runtime-policy");
    List<String> rules =
        CheckCommandTest.texts(runNode.path("tool").path("driver").path("rules"), "id");
    assertThat(rules).contains("LivenessTimeoutTooLong", "ManagedValueChanged");
    JsonNode results = runNode.path("results");
    JsonNode violation = find(results, "LivenessTimeoutTooLong");
    assertThat(violation.path("level").asText()).isEqualTo("error");
    assertThat(rules.get(violation.path("ruleIndex").asInt())).isEqualTo("LivenessTimeoutTooLong");
    assertThat(violation.path("message").path("text").asText())
        .startsWith("CronJob report: container report: liveness probe timeoutSeconds 10");
    JsonNode location = violation.path("locations").get(0).path("physicalLocation");
    assertThat(location.path("artifactLocation").path("uri").asText())
        .isEqualTo(SarifFormat.uri(file.toString()));
    assertThat(location.path("region").path("startLine").asInt()).isEqualTo(reportContainerLine);
    JsonNode change = find(results, "ManagedValueChanged");
    assertThat(change.path("level").asText()).isEqualTo("warning");
    assertThat(
            change
                .path("locations")
                .get(0)
                .path("physicalLocation")
                .path("region")
                .path("startLine")
                .asInt())
        .isEqualTo(ledgerContainerLine);
  }

  @Test
  void junitHasASuitePerFileACasePerWorkloadAndAFailurePerViolatedRule() throws Exception {
    CheckRun run = CheckRun.run("check", "-f", file.toString(), "-o", "junit");

    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
    Element suites = xml.getDocumentElement();
    assertThat(suites.getTagName()).isEqualTo("testsuites");
    assertThat(suites.getAttribute("failures")).isEqualTo("1");
    NodeList suiteList = suites.getElementsByTagName("testsuite");
    assertThat(suiteList.getLength()).isEqualTo(1);
    Element suite = (Element) suiteList.item(0);
    assertThat(suite.getAttribute("name")).isEqualTo(file.toString());
    assertThat(suite.getAttribute("tests")).isEqualTo("4");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(4);
    Element cronJob = (Element) cases.item(1);
    assertThat(cronJob.getAttribute("name")).startsWith("CronJob report");
    Element failure = (Element) cronJob.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("type")).isEqualTo("LivenessTimeoutTooLong");
    assertThat(failure.getTextContent()).startsWith(file + ":" + reportContainerLine + ": ");
    assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    assertThat(
            ((Element) cases.item(0)).getElementsByTagName("system-out").item(0).getTextContent())
        .contains("ManagedValueChanged");
    assertThat(((Element) cases.item(3)).getElementsByTagName("skipped").getLength()).isEqualTo(1);
  }

  @Test
  void githubAnnotationsPointAtFileAndLine() {
    CheckRun run = CheckRun.run("check", "-f", file.toString(), "-o", "github");

    String f = GithubFormat.property(file.toString());
    assertThat(run.out().lines())
        .contains(
            "::error file="
                + f
                + ",line="
                + reportContainerLine
                + ",title=LivenessTimeoutTooLong::CronJob report: container report: liveness probe"
                + " timeoutSeconds 10 is not below the app read timeout 3s")
        .anyMatch(
            l ->
                l.startsWith(
                    "::warning file="
                        + f
                        + ",line="
                        + ledgerContainerLine
                        + ",title=ManagedValueChanged::StatefulSet ledger: container db: JAVA_TOOL_OPTIONS is unset"));
  }

  @Test
  void textNamesEachWorkloadItsStateAndWhatAdmissionSets() {
    CheckRun run = CheckRun.run("check", "-f", file.toString());

    assertThat(run.out())
        .contains(file + ":1: StatefulSet ledger: Pending (policy default, Enforce)")
        .contains(
            "  "
                + file
                + ":"
                + ledgerContainerLine
                + ": container db: JAVA_TOOL_OPTIONS is unset, admission sets \"-XX:ActiveProcessorCount=2\"")
        .contains(": Deployment static-site: not governed")
        .contains(
            "4 workloads: 1 tuned, 1 pending, 1 violating, 0 skipped, 1 not governed; 0 other documents");
  }

  @Test
  void jsonCarriesTheUnreadableInputToo() {
    CheckRun run =
        CheckRun.run(
            "check",
            "-f",
            file.toString(),
            "-f",
            dir.resolve("gone.yaml").toString(),
            "-o",
            "json");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.json().path("errors").get(0).path("message").asText())
        .isEqualTo("no such file or directory");
    assertThat(run.json().path("workloads")).hasSize(4);
  }

  private static int lineOf(List<String> lines, String stripped) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(stripped)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line " + stripped);
  }

  private static JsonNode find(JsonNode results, String ruleId) {
    for (JsonNode result : results) {
      if (result.path("ruleId").asText().equals(ruleId)) {
        return result;
      }
    }
    throw new AssertionError("no result " + ruleId + " in " + results);
  }
}
