package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.runtimepolicy.api.RuntimeCatalog;
import io.runtimepolicy.api.RuntimeSection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A RuntimePolicy's spec. The runtime sections ({@code java}, {@code go}, {@code python}, ...) are
 * held by name: the list of runtimes belongs to the engine ({@link RuntimeCatalog}), and the CRD's
 * schema for the sections is generated from it, so adding a runtime changes no field here. A
 * section the catalog knows is read as its type when the spec is read; any other is kept as
 * written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuntimePolicySpec {

  /**
   * The largest processor count a policy may set or cap at, for every runtime. No container
   * Kubernetes schedules comes near it, so a larger value is a typo (an extra digit, millicores),
   * and the schema refuses it rather than have a 2-CPU container run a thousand GC threads.
   */
  public static final int MAX_PROCESSORS = 1024;

  public static final String JAVA = "java";
  public static final String GO = "go";

  // Lenient like fabric8's own mapper: a field this build does not know is not a broken policy.
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @JsonPropertyDescription(
      "Enforce sets the managed env in governed workloads; Audit never writes a workload, it only reports"
          + " and warns; Inject never writes a workload, it sets the env in each new pod (opt-in on"
          + " the pod template's annotations).")
  @Default("Enforce")
  private Mode mode = Mode.Enforce;

  @JsonPropertyDescription("How probe timing is checked.")
  @Default("{}")
  private ProbesSpec probes = new ProbesSpec();

  /** The spec's field for the runtimes users declare; no runtime section may have its name. */
  public static final String CUSTOM = "custom";

  /** Most custom runtimes one policy declares. */
  public static final int MAX_CUSTOM = 16;

  @JsonPropertyDescription(
      "Runtimes you declare: each has a name (a lower-case DNS label, not a built-in runtime),"
          + " the processor fields, and the variables it sets from the container's resources."
          + " Workloads opt in with runtimepolicy.io/<name>-tuning: enabled; a custom runtime"
          + " combines with any language runtime on one container.")
  @Size(max = MAX_CUSTOM)
  private List<CustomRuntimeSpec> custom;

  // Sorted, so that two specs with the same sections serialize alike. A value is the section's
  // type, or the section as written (JsonNode) when it is unknown or does not read as its type.
  @JsonIgnore private final Map<String, Object> runtimes = new TreeMap<>();

  /**
   * Every runtime section starts at its defaults, as the fields did, and as the API server fills
   * them in: a spec built here equals the same spec read back from the server.
   */
  public RuntimePolicySpec() {
    runtimes.put(JAVA, new JavaSpec());
    runtimes.put(GO, new GoSpec());
    for (RuntimeSection section : RuntimeCatalog.installed().sections()) {
      runtimes.computeIfAbsent(section.name(), name -> defaults(section.sectionType()));
    }
  }

  private static ProcessorSpec defaults(Class<? extends ProcessorSpec> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " needs a public no-argument constructor", e);
    }
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public ProbesSpec getProbes() {
    return probes;
  }

  public void setProbes(ProbesSpec probes) {
    this.probes = probes;
  }

  public List<CustomRuntimeSpec> getCustom() {
    return custom;
  }

  public void setCustom(List<CustomRuntimeSpec> custom) {
    this.custom = custom;
  }

  /** Every runtime section by name. */
  @JsonAnyGetter
  public Map<String, Object> getRuntimes() {
    return Collections.unmodifiableMap(runtimes);
  }

  /** A runtime section as written, read as its type when the catalog knows it; null removes it. */
  @JsonAnySetter
  public void setRuntime(String name, JsonNode section) {
    if (section == null || section.isNull()) {
      runtimes.remove(name);
      return;
    }
    Object value = section;
    for (RuntimeSection known : RuntimeCatalog.installed().sections()) {
      if (known.name().equals(name)) {
        try {
          value = MAPPER.treeToValue(section, known.sectionType());
        } catch (JsonProcessingException e) {
          // Kept as written: runtime(...) names the problem to whoever reads the section.
        }
      }
    }
    runtimes.put(name, value);
  }

  /** Sets a runtime section; null removes it. */
  public void setRuntime(String name, ProcessorSpec section) {
    if (section == null) {
      runtimes.remove(name);
    } else {
      runtimes.put(name, section);
    }
  }

  /**
   * The section {@code name} as {@code type}; null when the spec has none. A section that does not
   * read as its type (a value the schema refuses, stored before it did) throws {@link
   * IllegalArgumentException}. The instance is the spec's own only when it was read as its type.
   */
  public <T extends ProcessorSpec> T runtime(String name, Class<T> type) {
    Object section = runtimes.get(name);
    if (section == null || type.isInstance(section)) {
      return type.cast(section);
    }
    try {
      return MAPPER.treeToValue(MAPPER.valueToTree(section), type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(
          "spec." + name + " is not a valid " + name + " section: " + why, e);
    }
  }

  @JsonIgnore
  public JavaSpec getJava() {
    return runtime(JAVA, JavaSpec.class);
  }

  public void setJava(JavaSpec java) {
    setRuntime(JAVA, java);
  }

  @JsonIgnore
  public GoSpec getGo() {
    return runtime(GO, GoSpec.class);
  }

  public void setGo(GoSpec go) {
    setRuntime(GO, go);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RuntimePolicySpec other
        && mode == other.mode
        && Objects.equals(probes, other.probes)
        && Objects.equals(custom, other.custom)
        && runtimes.equals(other.runtimes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, probes, custom, runtimes);
  }
}
