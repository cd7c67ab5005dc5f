package io.runtimepolicy.operator.reports;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many results of a report have each outcome. */
public record ReportSummary(
    @JsonPropertyDescription("Results whose rule is met.") int pass,
    @JsonPropertyDescription("Results whose rule is not met.") int fail,
    @JsonPropertyDescription("Results whose rule is not met and is not scored.") int warn,
    @JsonPropertyDescription("Results that could not be evaluated.") int error,
    @JsonPropertyDescription("Results whose rule did not apply.") int skip) {}
