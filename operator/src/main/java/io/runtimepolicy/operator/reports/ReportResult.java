package io.runtimepolicy.operator.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;
import java.util.Map;

/** One rule checked against one object, in OpenReports' shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportResult(
    @JsonPropertyDescription("The tool that produced this result.") String source,
    @JsonPropertyDescription("The policy the rule belongs to.") String policy,
    @JsonPropertyDescription("The rule checked.") String rule,
    @JsonPropertyDescription("The rule's category.") String category,
    @JsonPropertyDescription("critical, high, medium, low or info.") String severity,
    @JsonPropertyDescription("When the result was found.") ReportTimestamp timestamp,
    @JsonPropertyDescription("pass, fail, warn, error or skip.") String result,
    @JsonPropertyDescription("Whether this result counts toward a score.") Boolean scored,
    @JsonPropertyDescription("The objects checked.") List<ObjectReference> resources,
    @JsonPropertyDescription("The objects checked, by label.") LabelSelector resourceSelector,
    @JsonPropertyDescription("A short message for people.") String message,
    @JsonPropertyDescription("More about the result.") Map<String, String> properties) {}
