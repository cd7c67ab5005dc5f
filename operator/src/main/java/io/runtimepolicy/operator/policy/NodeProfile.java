package io.runtimepolicy.operator.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Node.js: {@code --max-old-space-size=M} merged into {@code NODE_OPTIONS}, M being {@code
 * maxOldSpacePercent} of the memory limit in whole MiB rounded down. V8 sizes its old space from
 * its own heuristics, not from the cgroup limit, so a heap can grow past the limit and the
 * container is OOM-killed instead of the GC working harder. The user's own options in NODE_OPTIONS
 * stay as written. No memory limit: nothing is set, with a Notice {@code MemoryLimitMissing}.
 */
final class NodeProfile implements RuntimeProfile {

  static final String NODE_OPTIONS = "NODE_OPTIONS";
  static final String MAX_OLD_SPACE_SIZE = "--max-old-space-size";

  /** The {@code node} section: the processor fields and the heap's share of the limit. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Section extends ProcessorSpec {

    @JsonPropertyDescription(
        "--max-old-space-size in NODE_OPTIONS as this percentage (1 to 100) of the container's"
            + " memory limit, in whole MiB rounded down (1Gi at 75 gives 768). A container without"
            + " a memory limit gets none. null: not managed.")
    @Default("75")
    @Nullable
    @Min(1)
    @Max(100)
    // Written even when null: an absent field would be defaulted back to 75 by the API server.
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private Integer maxOldSpacePercent = 75;

    public Integer getMaxOldSpacePercent() {
      return maxOldSpacePercent;
    }

    public void setMaxOldSpacePercent(Integer maxOldSpacePercent) {
      this.maxOldSpacePercent = maxOldSpacePercent;
    }

    @Override
    public boolean equals(Object o) {
      return super.equals(o)
          && o instanceof Section other
          && Objects.equals(maxOldSpacePercent, other.maxOldSpacePercent);
    }

    @Override
    public int hashCode() {
      return Objects.hash(super.hashCode(), maxOldSpacePercent);
    }
  }

  /** The resolved section; a percentage outside 1..100 (past the schema) is not managed. */
  record Settings(ProcessorRules processors, Integer maxOldSpacePercent)
      implements RuntimeSettings {
    Settings {
      maxOldSpacePercent = RuntimeSettings.wholePercent(maxOldSpacePercent);
    }
  }

  @Override
  public String name() {
    return "node";
  }

  @Override
  public String runtime() {
    return "Node";
  }

  @Override
  public Class<Section> sectionType() {
    return Section.class;
  }

  @Override
  public String description() {
    return "How Node.js containers are tuned: --max-old-space-size in NODE_OPTIONS from the memory"
        + " limit.";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    Section node = section instanceof Section s ? s : new Section();
    return new Settings(ProcessorRules.of(node, MAX_OLD_SPACE_SIZE), node.getMaxOldSpacePercent());
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return settings.runtime(this, Settings.class).maxOldSpacePercent() == null
        ? List.of()
        : List.of(NODE_OPTIONS);
  }

  /**
   * NODE_OPTIONS whose set value is exactly the user's with a whole --max-old-space-size merged.
   */
  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    if (!NODE_OPTIONS.equals(variable)) {
      return false;
    }
    String size =
        JavaToolOptions.flags(entry.set(), List.of(MAX_OLD_SPACE_SIZE)).get(MAX_OLD_SPACE_SIZE);
    if (size == null || !size.matches("[1-9][0-9]{0,12}")) {
      return false;
    }
    return entry.set().equals(JavaToolOptions.merge(entry.user(), flag(size)));
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    Settings node = settings.runtime(this, Settings.class);
    List<Finding> findings = new ArrayList<>();
    ProcessorDecision cpu =
        CpuPolicy.decide(container.getName(), container.getResources(), node.processors());
    List<EnvChange> changes = new ArrayList<>();
    if (node.maxOldSpacePercent() != null) {
      Optional<BigDecimal> bytes = MemoryLimits.required(container, MAX_OLD_SPACE_SIZE, findings);
      if (bytes.isPresent()) {
        String mib = oldSpaceMib(bytes.get(), node.maxOldSpacePercent());
        changes.add(new EnvChange.MergeFlags(NODE_OPTIONS, flag(mib)));
      }
    }
    return new RuntimeTuning(cpu, changes, findings, null, null, null);
  }

  /** {@code percent} of the limit in whole MiB, rounded down, at least 1 (the limit is >= 1Mi). */
  static String oldSpaceMib(BigDecimal limitBytes, int percent) {
    return MemoryLimits.shareMib(limitBytes, percent);
  }

  private static LinkedHashMap<String, String> flag(String mib) {
    return new LinkedHashMap<>(Map.of(MAX_OLD_SPACE_SIZE, mib));
  }
}
