package io.runtimepolicy.operator.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model's JSON names are the published ones: the json tags of {@code Report}, {@code
 * ReportResult} and {@code ReportSummary} in
 * https://github.com/openreports/reports-api/blob/main/apis/openreports.io/v1alpha1/report_types.go
 * and {@code metav1.Timestamp}. {@code configuration} (a producer/consumer contract) is left out on
 * purpose: the operator writes none.
 */
class ReportFieldNamesTest {

  private static final List<String> REPORT =
      List.of(
          "apiVersion",
          "kind",
          "metadata",
          "source",
          "scope",
          "scopeSelector",
          "summary",
          "results");
  private static final List<String> RESULT =
      List.of(
          "source",
          "policy",
          "rule",
          "category",
          "severity",
          "timestamp",
          "result",
          "scored",
          "resources",
          "resourceSelector",
          "message",
          "properties");
  private static final List<String> SUMMARY = List.of("pass", "fail", "warn", "error", "skip");
  private static final List<String> TIMESTAMP = List.of("seconds", "nanos");

  @Test
  void everyFieldCarriesThePublishedName() {
    JsonNode json = Serialization.jsonMapper().valueToTree(full());

    assertThat(names(json)).containsExactlyInAnyOrderElementsOf(REPORT);
    assertThat(names(json.get("summary"))).containsExactlyInAnyOrderElementsOf(SUMMARY);
    assertThat(names(json.get("results").get(0))).containsExactlyInAnyOrderElementsOf(RESULT);
    assertThat(names(json.get("results").get(0).get("timestamp")))
        .containsExactlyInAnyOrderElementsOf(TIMESTAMP);
  }

  @Test
  void theGroupVersionAndKindAreOpenReports() {
    assertThat(HasMetadata.getApiVersion(Report.class)).isEqualTo("openreports.io/v1alpha1");
    assertThat(HasMetadata.getKind(Report.class)).isEqualTo("Report");
    assertThat(HasMetadata.getPlural(Report.class)).isEqualTo("reports");
    assertThat(new Report().getApiVersion()).isEqualTo("openreports.io/v1alpha1");
  }

  @Test
  void aRoundTripKeepsEveryField() {
    Report report = full();
    KubernetesSerialization serialization = new KubernetesSerialization();
    serialization.registerKubernetesResource(Report.class);
    Report back = serialization.unmarshal(serialization.asYaml(report), Report.class);
    assertThat(back).usingRecursiveComparison().isEqualTo(report);
  }

  private static Report full() {
    Report report = new Report();
    report.getMetadata().setName("p");
    report.getMetadata().setNamespace("ns");
    report.setSource("runtime-policy");
    report.setScope(new ObjectReferenceBuilder().withKind("Namespace").withName("ns").build());
    report.setScopeSelector(new LabelSelector());
    report.setSummary(new ReportSummary(1, 2, 3, 4, 5));
    report.setResults(
        List.of(
            new ReportResult(
                "runtime-policy",
                "p",
                "CpuLimitMissing",
                "runtime",
                "medium",
                new ReportTimestamp(1, 2),
                "fail",
                true,
                List.of(new ObjectReferenceBuilder().withKind("Deployment").withName("d").build()),
                new LabelSelector(),
                "no limit",
                Map.of("container", "app"))));
    return report;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
