package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Values a running pod keeps after its resources change: a pod's env is fixed at its creation, so
 * when {@code pods/resize} (or VPA in place) changes its CPU or memory, each managed value computed
 * from the old resources stays as it was until the pod is recreated.
 */
public final class Staleness {

  private static final String GOMAXPROCS = "GOMAXPROCS";

  /**
   * One managed value that no longer matches the pod's resources.
   *
   * @param container the container's name
   * @param name the variable ({@code GOMAXPROCS}) or the managed flag ({@code
   *     -XX:ActiveProcessorCount}) inside an options variable
   * @param runsWith the value the container runs with
   * @param computed what the policy computes from the new resources
   * @param resource what changed: {@code CPU limit}, {@code CPU request} or {@code memory limit}
   * @param quantity that resource's new quantity, as written
   * @param followsLimit Go's GOMAXPROCS under a CPU limit: {@code leaveLimitToRuntime: true} lets
   *     Go 1.25+ follow the limit live
   */
  public record StaleValue(
      String container,
      String name,
      String runsWith,
      String computed,
      String resource,
      String quantity,
      boolean followsLimit) {

    /** {@code GOMAXPROCS=2 stays 2 after the CPU limit goes to 4 until the pod is recreated}. */
    public String message(boolean nameContainer) {
      // "container app: " would take a usual warning past 120 characters: the name alone.
      return (nameContainer ? container + ": " : "")
          + name
          + "="
          + runsWith
          + " stays "
          + runsWith
          + " after the "
          + resource
          + " goes to "
          + quantity
          + " until the pod is recreated";
    }
  }

  private Staleness() {}

  /**
   * The values a resize from {@code before} to {@code after} leaves stale: a managed value the
   * container runs with (its env, which the resize does not change) that differs from what the
   * policy computes from {@code after}, where the resize changed what it computes (a value already
   * stale for another reason, such as a policy change, is not the resize's doing). Which resource
   * made it stale is found by applying the CPU change alone: if that gives the new value, CPU;
   * otherwise memory. A container the policy leaves alone, a value the container does not carry, or
   * one set through valueFrom gives nothing.
   */
  public static List<StaleValue> afterResize(
      PolicySettings settings,
      String policy,
      Map<String, String> annotations,
      PodSpec before,
      PodSpec after) {
    if (sameResources(before, after)) {
      // What the policy computes depends on the containers' resources alone: nothing moved.
      return List.of();
    }
    Map<String, ContainerEvaluation> old = byName(evaluate(settings, policy, annotations, before));
    Map<String, ContainerEvaluation> cpuOnly =
        byName(evaluate(settings, policy, annotations, withCpuOf(before, after)));
    List<StaleValue> stale = new ArrayList<>();
    for (ContainerEvaluation now : evaluate(settings, policy, annotations, after).containers()) {
      Map<String, String> runs = managedValues(now, now.current());
      Map<String, String> was = managedValues(old.get(now.name()), null);
      Map<String, String> cpu = managedValues(cpuOnly.get(now.name()), null);
      managedValues(now, null)
          .forEach(
              (name, computed) -> {
                String runsWith = runs.get(name);
                if (runsWith == null || same(runsWith, computed) || same(computed, was.get(name))) {
                  return;
                }
                stale.add(staleValue(now, after, name, runsWith, computed, cpu.get(name)));
              });
    }
    return stale;
  }

  /**
   * The values a pod of a workload runs with that its own resources no longer give: its env came
   * from {@code template} (Enforce and Audit set values in the workload), so a pod whose resources
   * differ from the template's (a resize since, or VPA's admission) runs values computed for other
   * resources. A pod of an older template whose values match its own resources gives nothing.
   */
  public static List<StaleValue> ofPod(
      PolicySettings settings,
      String policy,
      Map<String, String> workloadAnnotations,
      PodSpec template,
      PodSpec pod) {
    return afterResize(settings, policy, workloadAnnotations, template, pod);
  }

  /**
   * One warning per stale value, plus Go's alternative to recreating; each names its container when
   * {@code pod} has more than one.
   */
  public static List<String> warnings(List<StaleValue> stale, PodSpec pod) {
    boolean several = pod != null && pod.getContainers() != null && pod.getContainers().size() > 1;
    List<String> warnings = new ArrayList<>();
    for (StaleValue value : stale) {
      warnings.add(value.message(several));
      if (value.followsLimit()) {
        warnings.add(
            (several ? value.container() + ": " : "")
                + "or set go.leaveLimitToRuntime: true, so Go 1.25+ follows the CPU limit live");
      }
    }
    return warnings;
  }

  private static StaleValue staleValue(
      ContainerEvaluation now,
      PodSpec after,
      String name,
      String runsWith,
      String computed,
      String cpuOnly) {
    boolean byCpu = same(computed, cpuOnly) && now.cpu() != null;
    String resource;
    String quantity;
    if (byCpu) {
      resource = now.cpuOrigin() == CpuOrigin.Request ? "CPU request" : "CPU limit";
      quantity = now.cpu();
    } else {
      resource = "memory limit";
      quantity = memoryLimit(after, now.name());
    }
    boolean followsLimit = byCpu && GOMAXPROCS.equals(name) && now.cpuOrigin() == CpuOrigin.Limit;
    return new StaleValue(now.name(), name, runsWith, computed, resource, quantity, followsLimit);
  }

  private static WorkloadEvaluation evaluate(
      PolicySettings settings, String policy, Map<String, String> annotations, PodSpec spec) {
    WorkloadEvaluation evaluation = Tuning.plan(settings, policy, annotations, spec).evaluation();
    return evaluation == null ? new WorkloadEvaluation(null, List.of(), List.of()) : evaluation;
  }

  private static Map<String, ContainerEvaluation> byName(WorkloadEvaluation evaluation) {
    Map<String, ContainerEvaluation> byName = new HashMap<>();
    evaluation.containers().forEach(c -> byName.putIfAbsent(c.name(), c));
    return byName;
  }

  /**
   * Each managed value by its name (a variable set whole, or a managed flag of an options
   * variable): what the policy wants ({@code live} null), or what the container carries.
   */
  private static Map<String, String> managedValues(
      ContainerEvaluation container, Map<String, String> live) {
    Map<String, String> values = new LinkedHashMap<>();
    if (container == null) {
      return values;
    }
    for (EnvChange change : container.env()) {
      String value =
          live == null ? container.desired().get(change.variable()) : live.get(change.variable());
      if (value == null) {
        continue;
      }
      if (change instanceof EnvChange.MergeFlags merge) {
        JavaToolOptions.flags(value, merge.flags().keySet()).forEach(values::put);
      } else {
        values.put(change.variable(), value);
      }
    }
    return values;
  }

  /** Whether every container of {@code after} has the resources it has in {@code before}. */
  static boolean sameResources(PodSpec before, PodSpec after) {
    if (before == null || after == null) {
      return before == after;
    }
    Map<String, Container> was = new HashMap<>();
    if (before.getContainers() != null) {
      before.getContainers().forEach(c -> was.putIfAbsent(c.getName(), c));
    }
    if (after.getContainers() == null) {
      return true;
    }
    for (Container now : after.getContainers()) {
      Container then = was.get(now.getName());
      if (then == null
          || !same(limits(then), limits(now))
          || !same(requests(then), requests(now))) {
        return false;
      }
    }
    return true;
  }

  /** Quantities compared by value: {@code 1} and {@code 1000m} are the same CPU. */
  private static boolean same(Map<String, Quantity> a, Map<String, Quantity> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (var entry : a.entrySet()) {
      Quantity other = b.get(entry.getKey());
      if (entry.getValue() == null || other == null) {
        if (entry.getValue() != other) {
          return false;
        }
      } else if (!sameQuantity(entry.getValue(), other)) {
        return false;
      }
    }
    return true;
  }

  /** A quantity that does not parse is never the same: the evaluation then says what it is. */
  private static boolean sameQuantity(Quantity a, Quantity b) {
    try {
      return Quantities.parse(Quantities.text(a)).compareTo(Quantities.parse(Quantities.text(b)))
          == 0;
    } catch (InvalidQuantityException e) {
      return false;
    }
  }

  /** {@code before} with each container's CPU request and limit taken from {@code after}. */
  private static PodSpec withCpuOf(PodSpec before, PodSpec after) {
    if (before == null || before.getContainers() == null || after == null) {
      return before;
    }
    Map<String, Container> resized = new HashMap<>();
    if (after.getContainers() != null) {
      after.getContainers().forEach(c -> resized.putIfAbsent(c.getName(), c));
    }
    List<Container> containers = new ArrayList<>();
    for (Container container : before.getContainers()) {
      Container now = resized.get(container.getName());
      if (now == null) {
        containers.add(container);
        continue;
      }
      Container copy = new ContainerBuilder(container).build();
      copy.setResources(
          new ResourceRequirementsBuilder()
              .withLimits(withCpu(limits(container), limits(now)))
              .withRequests(withCpu(requests(container), requests(now)))
              .build());
      containers.add(copy);
    }
    PodSpec spec = new PodSpecBuilder(before).build();
    spec.setContainers(containers);
    return spec;
  }

  private static Map<String, Quantity> withCpu(
      Map<String, Quantity> resources, Map<String, Quantity> cpuFrom) {
    Map<String, Quantity> merged = new LinkedHashMap<>(resources);
    merged.remove("cpu");
    if (cpuFrom.containsKey("cpu")) {
      merged.put("cpu", cpuFrom.get("cpu"));
    }
    return merged;
  }

  private static Map<String, Quantity> limits(Container container) {
    ResourceRequirements resources = container.getResources();
    return resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
  }

  private static Map<String, Quantity> requests(Container container) {
    ResourceRequirements resources = container.getResources();
    return resources == null || resources.getRequests() == null
        ? Map.of()
        : resources.getRequests();
  }

  private static String memoryLimit(PodSpec spec, String container) {
    return spec.getContainers().stream()
        .filter(c -> Objects.equals(c.getName(), container))
        .findFirst()
        .map(c -> limits(c).get("memory"))
        .map(Quantities::text)
        .orElse("none");
  }

  /** Numerically equal values ({@code 2} and {@code 2.0}) are the same. */
  private static boolean same(String a, String b) {
    if (a == null || b == null) {
      return Objects.equals(a, b);
    }
    try {
      return new BigDecimal(a.strip()).compareTo(new BigDecimal(b.strip())) == 0;
    } catch (NumberFormatException e) {
      return a.strip().equals(b.strip());
    }
  }
}
