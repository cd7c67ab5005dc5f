package io.runtimepolicy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.operator.policy.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The operator's JVM as the chart runs it: the chart's {@code javaToolOptions}, plus {@code
 * -XX:MaxRAM} set to the chart's memory limit, which stands in for the container's cgroup limit
 * (without it the JVM sizes its heap and picks its GC from the whole machine's memory).
 */
final class ChartJvmOptions {

  static final String VALUES = "helm/runtime-policy-operator/values.yaml";

  private ChartJvmOptions() {}

  static String read(Path root) {
    String options = values(root).path("javaToolOptions").asText();
    if (options.isEmpty()) {
      throw new IllegalStateException(VALUES + " has no javaToolOptions");
    }
    return "-XX:MaxRAM=" + memoryLimitBytes(root) + " " + options;
  }

  /** The operator container's memory limit in the chart. */
  static long memoryLimitBytes(Path root) {
    String limit = values(root).path("resources").path("limits").path("memory").asText();
    if (limit.isEmpty()) {
      throw new IllegalStateException(VALUES + " has no resources.limits.memory");
    }
    return Quantity.getAmountInBytes(new Quantity(limit)).longValueExact();
  }

  /** The chart's {@code resyncPeriod} ({@code 10m}), read as the operator reads it. */
  static java.time.Duration resyncPeriod(Path root) {
    String value = values(root).path("resyncPeriod").asText().trim();
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(VALUES + ": resyncPeriod: " + e.getMessage(), e);
    }
  }

  private static JsonNode values(Path root) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(root.resolve(VALUES).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
