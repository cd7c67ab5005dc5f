package io.runtimepolicy.operator.reports;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A point in time as Kubernetes' {@code metav1.Timestamp}: seconds and nanos since the epoch. */
public record ReportTimestamp(
    @JsonPropertyDescription("Seconds since the epoch.") long seconds,
    @JsonPropertyDescription("Nanoseconds within the second.") int nanos) {}
