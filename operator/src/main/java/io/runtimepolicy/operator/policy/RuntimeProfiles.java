package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.RuntimeCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The runtimes the operator tunes, in one place, and which container is which. */
public final class RuntimeProfiles {

  /** Every runtime profile; the order is the order of their findings. */
  public static final List<RuntimeProfile> ALL = List.of(new JavaProfile(), new GoProfile());

  private static final String ENABLED = "enabled";
  private static final String PREFIX = RuntimeProfile.PREFIX;

  /** The runtime sections of the CRD, one per profile (a {@link ServiceLoader} service). */
  public static final class Catalog implements RuntimeCatalog {
    @Override
    public List<RuntimeProfile> sections() {
      return ALL;
    }
  }

  private RuntimeProfiles() {}

  /** One governed container and its runtime. (Not a map: a Container's hashCode can throw.) */
  record Assignment(Container container, RuntimeProfile profile) {}

  /** The profiles whose tuning annotation is exactly {@code "enabled"}. */
  public static List<RuntimeProfile> enabled(Map<String, String> annotations) {
    if (annotations == null) {
      return List.of();
    }
    return ALL.stream().filter(p -> ENABLED.equals(annotations.get(p.tuningAnnotation()))).toList();
  }

  /**
   * The runtime of each container in {@code scope} (pod order), among the enabled ones:
   *
   * <ul>
   *   <li>One runtime enabled: every container in scope, or only those its containers annotation
   *       names when it has one.
   *   <li>Several: a container is the runtime whose containers annotation names it; a container
   *       named by none is the one enabled runtime without such an annotation, if there is exactly
   *       one. Named by two: a Notice {@code RuntimeAmbiguous}, and it is left alone. None of the
   *       enabled runtimes names any container: a workload-level Notice {@code RuntimeAmbiguous},
   *       and nothing is tuned; the operator does not guess.
   *   <li>A name in a containers annotation that is not among {@code regular}: a Notice {@code
   *       ContainerNotFound}.
   * </ul>
   */
  static List<Assignment> assign(
      Map<String, String> annotations,
      List<Container> scope,
      List<Container> regular,
      List<Finding> findings) {
    List<RuntimeProfile> enabled = enabled(annotations);
    Map<RuntimeProfile, List<String>> named = new LinkedHashMap<>();
    for (RuntimeProfile profile : enabled) {
      List<String> names = Annotations.names(annotations, profile.containersAnnotation());
      notFound(names, regular, profile.containersAnnotation(), findings);
      if (!names.isEmpty()) {
        named.put(profile, names);
      }
    }
    List<Assignment> assigned = new ArrayList<>();
    if (enabled.size() > 1 && named.isEmpty()) {
      findings.add(Finding.notice(Reasons.RUNTIME_AMBIGUOUS, null, ambiguous(enabled)));
      return assigned;
    }
    List<RuntimeProfile> unnamed = enabled.stream().filter(p -> !named.containsKey(p)).toList();
    for (Container container : scope) {
      List<RuntimeProfile> owners = new ArrayList<>();
      named.forEach(
          (profile, names) -> {
            if (names.contains(container.getName())) {
              owners.add(profile);
            }
          });
      if (owners.size() > 1) {
        String detail =
            "named in "
                + owners.stream()
                    .map(p -> shortName(p.containersAnnotation()))
                    .collect(Collectors.joining(" and "))
                + ", so it is left alone";
        findings.add(Finding.notice(Reasons.RUNTIME_AMBIGUOUS, container.getName(), detail));
      } else if (owners.size() == 1) {
        assigned.add(new Assignment(container, owners.get(0)));
      } else if (unnamed.size() == 1) {
        assigned.add(new Assignment(container, unnamed.get(0)));
      }
    }
    return assigned;
  }

  private static String ambiguous(List<RuntimeProfile> enabled) {
    return enabled.stream()
            .map(p -> shortName(p.tuningAnnotation()))
            .collect(Collectors.joining(" and "))
        + " both enabled: name them in "
        + enabled.stream()
            .map(p -> shortName(p.containersAnnotation()))
            .collect(Collectors.joining(" or "))
        + "; none is tuned";
  }

  private static void notFound(
      List<String> names, List<Container> regular, String annotation, List<Finding> findings) {
    for (String name : names) {
      if (regular.stream().noneMatch(container -> name.equals(container.getName()))) {
        String detail = "not among the pod's containers, though " + annotation + " names it";
        findings.add(Finding.notice(Reasons.CONTAINER_NOT_FOUND, name, detail));
      }
    }
  }

  private static String shortName(String annotation) {
    return annotation.startsWith(PREFIX) ? annotation.substring(PREFIX.length()) : annotation;
  }
}
