package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The small copies of model objects the operator's caches keep: only the fields the engine reads,
 * repeated strings shared, and no empty collections of their own. A fabric8 model object allocates
 * an empty list or map for every collection field in its constructor (a Container ten of them, 272
 * bytes, an ObjectMeta six), which in a cache of thousands of workloads outweighs what they hold.
 *
 * <p>The copies are read-only: their collections are immutable, as nothing may change an object a
 * cache hands out.
 */
final class CompactObjects {

  private static final Map<Class<?>, List<Field>> COLLECTION_FIELDS = new ConcurrentHashMap<>();
  private static final Map<Class<?>, List<Field>> WRAPPER_FIELDS = new ConcurrentHashMap<>();

  private static final SharedValues<EnvKey, EnvVar> ENV = new SharedValues<>();
  private static final SharedValues<ResourcesKey, ResourceRequirements> RESOURCES =
      new SharedValues<>();
  private static final SharedValues<Integer, Probe> PROBES = new SharedValues<>();
  private static final SharedValues<Map<String, String>, ObjectMeta> TEMPLATE_METADATA =
      new SharedValues<>();

  /** When two variables are interchangeable: the same name, value and source. */
  private record EnvKey(String name, String value, EnvVarSource valueFrom) {}

  /** When two resources are: the same quantities as written, not only as numbers. */
  private record ResourcesKey(
      Map<String, List<String>> limits,
      Map<String, List<String>> requests,
      List<ResourceClaim> claims) {}

  private CompactObjects() {}

  /**
   * The metadata the operator reads of a workload it governs: identity, version, generation, times,
   * owners and its own annotations.
   */
  static ObjectMeta governed(ObjectMeta meta) {
    ObjectMeta copy = new ObjectMeta();
    copy.setName(meta.getName());
    copy.setNamespace(shared(meta.getNamespace()));
    copy.setUid(meta.getUid());
    copy.setResourceVersion(meta.getResourceVersion());
    copy.setGeneration(meta.getGeneration());
    // Workloads created in the same second share it.
    copy.setCreationTimestamp(shared(meta.getCreationTimestamp()));
    copy.setDeletionTimestamp(meta.getDeletionTimestamp());
    copy.setOwnerReferences(list(meta.getOwnerReferences()));
    copy.setAnnotations(ownAnnotations(meta.getAnnotations()));
    return withoutEmpties(copy);
  }

  /**
   * What is kept of a workload nothing governs: its identity, its version, and the annotations that
   * could make it governed, so the mapper can tell which policy it left.
   */
  static ObjectMeta skeleton(ObjectMeta meta) {
    ObjectMeta copy = new ObjectMeta();
    copy.setName(meta.getName());
    copy.setNamespace(shared(meta.getNamespace()));
    copy.setResourceVersion(meta.getResourceVersion());
    copy.setAnnotations(ownAnnotations(meta.getAnnotations()));
    return withoutEmpties(copy);
  }

  /** The pod template as the engine reads it: its own annotations and the containers. */
  static PodTemplateSpec template(PodTemplateSpec template) {
    if (template == null) {
      return null;
    }
    Map<String, String> own =
        template.getMetadata() == null
            ? Map.of()
            : ownAnnotations(template.getMetadata().getAnnotations());
    // Most templates carry none of the operator's annotations, or the same few.
    ObjectMeta meta =
        TEMPLATE_METADATA.share(
            own,
            () -> {
              ObjectMeta m = new ObjectMeta();
              m.setAnnotations(own);
              return withoutEmpties(m);
            });
    PodSpec spec = new PodSpec();
    if (template.getSpec() != null && template.getSpec().getContainers() != null) {
      spec.setContainers(
          template.getSpec().getContainers().stream().map(CompactObjects::container).toList());
    }
    return withoutEmpties(new PodTemplateSpec(meta, withoutEmpties(spec)));
  }

  /** A container as the engine reads it: name, env, resources and the liveness probe's timeout. */
  static Container container(Container container) {
    Container copy = new Container();
    copy.setName(shared(container.getName()));
    if (container.getEnv() != null) {
      copy.setEnv(container.getEnv().stream().map(CompactObjects::env).toList());
    }
    copy.setResources(resources(container.getResources()));
    copy.setResizePolicy(list(container.getResizePolicy()));
    if (container.getLivenessProbe() != null) {
      Integer timeout = container.getLivenessProbe().getTimeoutSeconds();
      copy.setLivenessProbe(
          PROBES.share(
              timeout == null ? -1 : timeout,
              () -> {
                Probe probe = new Probe();
                probe.setTimeoutSeconds(timeout);
                return withoutEmpties(probe);
              }));
    }
    return withoutEmpties(copy);
  }

  private static EnvVar env(EnvVar env) {
    return ENV.share(
        new EnvKey(shared(env.getName()), shared(env.getValue()), env.getValueFrom()),
        () ->
            withoutEmpties(
                new EnvVar(shared(env.getName()), shared(env.getValue()), env.getValueFrom())));
  }

  private static ResourceRequirements resources(ResourceRequirements resources) {
    if (resources == null) {
      return null;
    }
    return RESOURCES.share(
        new ResourcesKey(
            written(resources.getLimits()),
            written(resources.getRequests()),
            list(resources.getClaims())),
        () -> copy(resources));
  }

  /** Each quantity as written: amount and format. */
  private static Map<String, List<String>> written(Map<String, Quantity> quantities) {
    if (quantities == null || quantities.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> written = new HashMap<>();
    quantities.forEach(
        (name, q) -> {
          if (q != null) {
            written.put(name, Arrays.asList(q.getAmount(), q.getFormat()));
          }
        });
    return written;
  }

  private static ResourceRequirements copy(ResourceRequirements resources) {
    ResourceRequirements copy = new ResourceRequirements();
    copy.setLimits(quantities(resources.getLimits()));
    copy.setRequests(quantities(resources.getRequests()));
    copy.setClaims(list(resources.getClaims()));
    return withoutEmpties(copy);
  }

  private static Map<String, Quantity> quantities(Map<String, Quantity> quantities) {
    if (quantities == null || quantities.isEmpty()) {
      return Map.of();
    }
    Map<String, Quantity> copy = new LinkedHashMap<>();
    quantities.forEach(
        (name, q) -> {
          if (q != null) {
            copy.put(
                shared(name),
                withoutEmpties(new Quantity(shared(q.getAmount()), shared(q.getFormat()))));
          }
        });
    return Map.copyOf(copy);
  }

  /**
   * The operator's own annotations, for a kept copy: thousands of workloads and pods repeat their
   * keys and values, so one copy of each is shared.
   */
  static Map<String, String> ownAnnotations(Map<String, String> annotations) {
    Map<String, String> own = PrunedWorkloadStore.ownAnnotations(annotations);
    if (own.isEmpty()) {
      return own;
    }
    Map<String, String> shared = new HashMap<>();
    own.forEach((key, value) -> shared.put(shared(key), shared(value)));
    return Map.copyOf(shared);
  }

  private static <E> List<E> list(List<E> list) {
    return list == null || list.isEmpty() ? List.of() : List.copyOf(list);
  }

  /**
   * One instance of each of the few strings thousands of workloads repeat: namespaces, container
   * and variable names, the values the operator sets, quantities.
   */
  static String shared(String s) {
    return s == null ? null : s.intern();
  }

  /**
   * {@link #withoutEmpties} for a workload and the objects between it and its pod template (a
   * Deployment's spec, a CronJob's job template), which a kind builds around the compact parts.
   */
  static <T> T withoutEmptiesAround(T workload) {
    withoutEmpties(workload);
    for (Field field :
        WRAPPER_FIELDS.computeIfAbsent(workload.getClass(), CompactObjects::wrappers)) {
      try {
        Object value = field.get(workload);
        if (value != null) {
          withoutEmptiesAround(value);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot compact " + field, e);
      }
    }
    return workload;
  }

  /** Fields holding a model object other than the compact metadata and pod template. */
  private static List<Field> wrappers(Class<?> type) {
    return accessibleFields(
        type,
        field ->
            KubernetesResource.class.isAssignableFrom(field.getType())
                && field.getType() != ObjectMeta.class
                && field.getType() != PodTemplateSpec.class);
  }

  /**
   * Replaces each empty list or map field of {@code object}'s own with the shared immutable empty
   * one. Fields are found by reflection so that a new field in a fabric8 release is covered too.
   */
  static <T> T withoutEmpties(T object) {
    for (Field field :
        COLLECTION_FIELDS.computeIfAbsent(object.getClass(), CompactObjects::fields)) {
      try {
        Object value = field.get(object);
        if (value instanceof List<?> l && l.isEmpty()) {
          field.set(object, List.of());
        } else if (value instanceof Map<?, ?> m && m.isEmpty()) {
          field.set(object, Map.of());
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot compact " + field, e);
      }
    }
    return object;
  }

  private static List<Field> fields(Class<?> type) {
    return accessibleFields(
        type,
        field ->
            (List.class.isAssignableFrom(field.getType())
                    || Map.class.isAssignableFrom(field.getType()))
                && !Modifier.isFinal(field.getModifiers()));
  }

  /**
   * {@code type}'s own and inherited instance fields that {@code wanted} picks, made accessible.
   */
  private static List<Field> accessibleFields(Class<?> type, Predicate<Field> wanted) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) && wanted.test(field)) {
          try {
            field.setAccessible(true);
            fields.add(field);
          } catch (InaccessibleObjectException e) {
            // A class of a named module keeps its empties: smaller savings, nothing wrong.
          }
        }
      }
    }
    return List.copyOf(fields);
  }
}
