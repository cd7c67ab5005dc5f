package io.runtimepolicy.operator.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * The OpenReports {@code Report} (openreports.io/v1alpha1), the project's own model of it. Its
 * fields sit at the top level, beside metadata, with no spec or status; {@code
 * ReportFieldNamesTest} holds their names to the published Go types.
 */
@Group("openreports.io")
@Version("v1alpha1")
@Kind("Report")
@Plural("reports")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class Report implements HasMetadata, Namespaced {

  private String apiVersion = "openreports.io/v1alpha1";
  private String kind = "Report";
  private ObjectMeta metadata = new ObjectMeta();

  @JsonPropertyDescription("The tool that wrote every result of this report.")
  private String source;

  @JsonPropertyDescription("The one object this report is about, if there is one.")
  private ObjectReference scope;

  @JsonPropertyDescription("The objects this report is about, by label; not set with scope.")
  private LabelSelector scopeSelector;

  @JsonPropertyDescription("The number of results of each outcome.")
  private ReportSummary summary;

  @JsonPropertyDescription("One result per checked object and rule.")
  private List<ReportResult> results;

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public ObjectReference getScope() {
    return scope;
  }

  public void setScope(ObjectReference scope) {
    this.scope = scope;
  }

  public LabelSelector getScopeSelector() {
    return scopeSelector;
  }

  public void setScopeSelector(LabelSelector scopeSelector) {
    this.scopeSelector = scopeSelector;
  }

  public ReportSummary getSummary() {
    return summary;
  }

  public void setSummary(ReportSummary summary) {
    this.summary = summary;
  }

  public List<ReportResult> getResults() {
    return results;
  }

  public void setResults(List<ReportResult> results) {
    this.results = results;
  }
}
