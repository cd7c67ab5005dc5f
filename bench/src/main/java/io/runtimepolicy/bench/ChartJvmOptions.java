package io.runtimepolicy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The operator's JVM as the chart runs it: the chart's {@code javaToolOptions}, plus
 * {@code -XX:MaxRAM} set to the chart's memory limit, which stands in for the container's cgroup
 * limit (without it the JVM sizes its heap and picks its GC from the whole machine's memory).
 */
final class ChartJvmOptions {

  static final String VALUES = "helm/runtime-policy-operator/values.yaml";

  private ChartJvmOptions() {}

  static String read(Path root) {
    try {
      JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(root.resolve(VALUES).toFile());
      String memoryLimit = values.path("resources").path("limits").path("memory").asText();
      String options = values.path("javaToolOptions").asText();
      if (memoryLimit.isEmpty() || options.isEmpty()) {
        throw new IllegalStateException(VALUES + " has no resources.limits.memory or javaToolOptions");
      }
      long bytes = Quantity.getAmountInBytes(new Quantity(memoryLimit)).longValueExact();
      return "-XX:MaxRAM=" + bytes + " " + options;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
