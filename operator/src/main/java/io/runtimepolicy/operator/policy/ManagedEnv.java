package io.runtimepolicy.operator.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator manages in a workload, kept in the {@link Annotations#MANAGED_ENV} annotation
 * on the workload itself: per container and variable, the value it set and the user's own value it
 * replaced (none when the variable was absent). The annotation travels with the object through
 * every apply, so the webhook and the reconciler read the same record, and leaving gives back the
 * user's value exactly, a managed flag of their own included.
 *
 * <p>In JSON: {@code {"app":{"JAVA_TOOL_OPTIONS":{"set":"-Xss1m -XX:ActiveProcessorCount=2",
 * "user":"-Xss1m -XX:ActiveProcessorCount=16"}}}}, keys in container then variable order.
 */
public final class ManagedEnv {

  /**
   * One managed variable.
   *
   * @param set the value the operator set
   * @param user the user's own value; null when the variable was absent
   */
  public record Entry(String set, String user) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ManagedEnv EMPTY = new ManagedEnv(Map.of());

  private final Map<String, Map<String, Entry>> containers;

  private ManagedEnv(Map<String, Map<String, Entry>> containers) {
    this.containers = containers;
  }

  public static ManagedEnv empty() {
    return EMPTY;
  }

  /**
   * The record in an annotation value; empty for null or anything that is not the JSON above
   * (hand-edited, truncated), so a broken record costs the give-back of a user flag, never a crash.
   * Never throws.
   */
  public static ManagedEnv parse(String annotation) {
    if (annotation == null || annotation.isBlank()) {
      return EMPTY;
    }
    try {
      JsonNode root = JSON.readTree(annotation);
      if (root == null || !root.isObject()) {
        return EMPTY;
      }
      Map<String, Map<String, Entry>> containers = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> c = root.fields(); c.hasNext(); ) {
        Map.Entry<String, JsonNode> container = c.next();
        Map<String, Entry> vars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> v = container.getValue().fields();
            v.hasNext(); ) {
          Map.Entry<String, JsonNode> var = v.next();
          JsonNode set = var.getValue().get("set");
          JsonNode user = var.getValue().get("user");
          if (set != null && set.isTextual() && (user == null || user.isTextual())) {
            vars.put(var.getKey(), new Entry(set.asText(), user == null ? null : user.asText()));
          }
        }
        if (!vars.isEmpty()) {
          containers.put(container.getKey(), vars);
        }
      }
      return new ManagedEnv(containers);
    } catch (JsonProcessingException | RuntimeException e) {
      return EMPTY;
    }
  }

  public boolean isEmpty() {
    return containers.isEmpty();
  }

  public Optional<Entry> entry(String container, String variable) {
    return Optional.ofNullable(containers.getOrDefault(container, Map.of()).get(variable));
  }

  /** Container to variable to entry, in the order recorded. */
  public Map<String, Map<String, Entry>> containers() {
    return Collections.unmodifiableMap(containers);
  }

  /** A builder for the next record. */
  public static Builder builder() {
    return new Builder();
  }

  /** The annotation value; deterministic, so an unchanged record is an unchanged annotation. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    containers.forEach(
        (container, vars) -> {
          ObjectNode node = root.putObject(container);
          vars.forEach(
              (name, entry) -> {
                ObjectNode var = node.putObject(name);
                var.put("set", entry.set());
                if (entry.user() != null) {
                  var.put("user", entry.user());
                }
              });
        });
    return root.toString();
  }

  /** Collects entries in the order they are put. */
  public static final class Builder {
    private final Map<String, Map<String, Entry>> containers = new LinkedHashMap<>();

    public Builder put(String container, String variable, Entry entry) {
      containers.computeIfAbsent(container, c -> new LinkedHashMap<>()).put(variable, entry);
      return this;
    }

    public ManagedEnv build() {
      return containers.isEmpty() ? EMPTY : new ManagedEnv(containers);
    }
  }
}
