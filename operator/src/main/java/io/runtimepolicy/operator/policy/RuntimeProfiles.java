package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.RuntimeCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The runtimes the operator tunes, in one place, and which container is which. */
public final class RuntimeProfiles {

  /** Every runtime profile; the order is the order of their findings. */
  public static final List<RuntimeProfile> ALL =
      List.of(
          new JavaProfile(),
          new GoProfile(),
          new PythonProfile(),
          new DotnetProfile(),
          new NodeProfile(),
          new OpenMpProfile());

  private static final String ENABLED = "enabled";
  private static final String PREFIX = RuntimeProfile.PREFIX;
  private static final String TUNING_SUFFIX = "-tuning";

  /** The runtime sections of the CRD, one per profile (a {@link ServiceLoader} service). */
  public static final class Catalog implements RuntimeCatalog {
    @Override
    public List<RuntimeProfile> sections() {
      return ALL;
    }
  }

  private RuntimeProfiles() {}

  /**
   * One governed container and its runtimes: its language runtime first, if it has one, then its
   * add-ons in the order of {@link #ALL}. (Not a map: a Container's hashCode can throw.)
   */
  record Assignment(Container container, List<RuntimeProfile> profiles) {
    Assignment {
      profiles = List.copyOf(profiles);
    }
  }

  /** Those of {@code profiles} whose tuning annotation is exactly {@code "enabled"}. */
  static List<RuntimeProfile> enabled(
      List<RuntimeProfile> profiles, Map<String, String> annotations) {
    if (annotations == null) {
      return List.of();
    }
    return profiles.stream()
        .filter(p -> ENABLED.equals(annotations.get(p.tuningAnnotation())))
        .toList();
  }

  /**
   * Whether {@code key: value} opts into some runtime, known or not: {@code
   * runtimepolicy.io/<name>-tuning: "enabled"}, exactly. The chart's matchConditions say the same
   * in CEL; which runtimes exist is the policy's to say ({@link PolicySettings#profiles}).
   */
  static boolean isOptIn(String key, String value) {
    return ENABLED.equals(value)
        && key.startsWith(PREFIX)
        && key.endsWith(TUNING_SUFFIX)
        && key.length() > PREFIX.length() + TUNING_SUFFIX.length();
  }

  /**
   * A workload-level Notice {@code RuntimeUnknown} for each opt-in that names no runtime of the
   * policy: a custom runtime the policy does not declare, or a misspelt name.
   */
  private static void unknown(
      List<RuntimeProfile> profiles, Map<String, String> annotations, List<Finding> findings) {
    annotations.forEach(
        (key, value) -> {
          if (isOptIn(key, value)
              && profiles.stream().noneMatch(p -> p.tuningAnnotation().equals(key))) {
            String name = key.substring(PREFIX.length(), key.length() - TUNING_SUFFIX.length());
            String detail =
                name
                    + "-tuning is enabled, but the policy has no runtime "
                    + name
                    + ": declare it in spec.custom";
            findings.add(Finding.notice(Reasons.RUNTIME_UNKNOWN, null, detail));
          }
        });
  }

  /**
   * The runtimes of each container in {@code scope} (pod order), among the enabled ones of {@code
   * profiles} (the policy's; an opt-in that names none of them is a Notice {@code RuntimeUnknown}).
   *
   * <p>Language runtimes ({@link RuntimeProfile#addOn} false) are exclusive:
   *
   * <ul>
   *   <li>One enabled: every container in scope, or only those its containers annotation names when
   *       it has one.
   *   <li>Several: a container is the runtime whose containers annotation names it; a container
   *       named by none is the one enabled runtime without such an annotation, if there is exactly
   *       one. Named by two: a Notice {@code RuntimeAmbiguous}, and it is left alone. None of the
   *       enabled runtimes names any container: a workload-level Notice {@code RuntimeAmbiguous},
   *       and no language runtime is tuned; the operator does not guess.
   * </ul>
   *
   * <p>Add-ons ({@code openmp}, custom runtimes) combine with whatever language runtime a container
   * has: each applies to every container in scope, or to those its containers annotation names.
   *
   * <p>A name in a containers annotation that is not among {@code regular}: a Notice {@code
   * ContainerNotFound}.
   */
  static List<Assignment> assign(
      List<RuntimeProfile> profiles,
      Map<String, String> annotations,
      List<Container> scope,
      List<Container> regular,
      List<Finding> findings) {
    if (annotations != null) {
      unknown(profiles, annotations, findings);
    }
    List<RuntimeProfile> enabled = enabled(profiles, annotations);
    List<RuntimeProfile> languages = enabled.stream().filter(p -> !p.addOn()).toList();
    List<RuntimeProfile> addOns = enabled.stream().filter(RuntimeProfile::addOn).toList();
    Map<RuntimeProfile, List<String>> named = new LinkedHashMap<>();
    for (RuntimeProfile profile : enabled) {
      List<String> names = Annotations.names(annotations, profile.containersAnnotation());
      notFound(names, regular, profile.containersAnnotation(), findings);
      if (!names.isEmpty()) {
        named.put(profile, names);
      }
    }
    boolean ambiguous = languages.size() > 1 && languages.stream().noneMatch(named::containsKey);
    if (ambiguous) {
      findings.add(Finding.notice(Reasons.RUNTIME_AMBIGUOUS, null, ambiguous(languages)));
    }
    List<RuntimeProfile> unnamed = languages.stream().filter(p -> !named.containsKey(p)).toList();
    List<Assignment> assigned = new ArrayList<>();
    for (Container container : scope) {
      List<RuntimeProfile> runtimes = new ArrayList<>();
      if (!ambiguous) {
        language(container, languages, named, unnamed, findings).ifPresent(runtimes::add);
      }
      for (RuntimeProfile addOn : addOns) {
        List<String> names = named.get(addOn);
        if (names == null || names.contains(container.getName())) {
          runtimes.add(addOn);
        }
      }
      if (!runtimes.isEmpty()) {
        assigned.add(new Assignment(container, runtimes));
      }
    }
    return assigned;
  }

  private static Optional<RuntimeProfile> language(
      Container container,
      List<RuntimeProfile> languages,
      Map<RuntimeProfile, List<String>> named,
      List<RuntimeProfile> unnamed,
      List<Finding> findings) {
    List<RuntimeProfile> owners =
        languages.stream()
            .filter(p -> named.containsKey(p) && named.get(p).contains(container.getName()))
            .toList();
    if (owners.size() > 1) {
      String detail =
          "named in "
              + owners.stream()
                  .map(p -> shortName(p.containersAnnotation()))
                  .collect(Collectors.joining(" and "))
              + ", so it is left alone";
      findings.add(Finding.notice(Reasons.RUNTIME_AMBIGUOUS, container.getName(), detail));
      return Optional.empty();
    }
    if (owners.size() == 1) {
      return Optional.of(owners.get(0));
    }
    return unnamed.size() == 1 ? Optional.of(unnamed.get(0)) : Optional.empty();
  }

  private static String ambiguous(List<RuntimeProfile> enabled) {
    return enabled.stream()
            .map(p -> shortName(p.tuningAnnotation()))
            .collect(Collectors.joining(" and "))
        + (enabled.size() == 2 ? " both" : " all")
        + " enabled: name them in "
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
