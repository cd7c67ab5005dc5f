package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Deployment informer's cache. The opt-in is an annotation, which the API server cannot filter
 * a watch on, so every Deployment passes through here: governed ones (or ones the operator tuned)
 * are kept without other managers' managedFields and without the last-applied annotation; every
 * other one is reduced to a metadata skeleton. Memory then grows with governed Deployments, not
 * with the cluster.
 */
public final class PrunedDeploymentStore implements ItemStore<Deployment> {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final Map<String, Deployment> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(Deployment deployment) {
    return Cache.metaNamespaceKeyFunc(deployment);
  }

  @Override
  public Deployment put(String key, Deployment deployment) {
    return items.put(key, prune(deployment));
  }

  @Override
  public Deployment remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<Deployment> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Deployment get(String key) {
    return items.get(key);
  }

  static boolean isRelevant(Map<String, String> annotations) {
    return annotations != null
        && (Annotations.isGoverned(annotations) || annotations.containsKey(Annotations.TUNED_BY));
  }

  static Deployment prune(Deployment deployment) {
    ObjectMeta meta = deployment.getMetadata();
    if (isRelevant(meta.getAnnotations())) {
      // Same object the informer hands to event handlers: trimming these is safe for them. The
      // operator's own managedFields entry stays: it records which flags the operator added.
      if (meta.getManagedFields() != null) {
        meta.setManagedFields(
            meta.getManagedFields().stream()
                .filter(f -> DeploymentPatcher.FIELD_MANAGER.equals(f.getManager()))
                .toList());
      }
      meta.getAnnotations().remove(LAST_APPLIED);
      return deployment;
    }
    // What the informer and JOSDK read of an ungoverned Deployment: its identity, its version,
    // and the annotations that could make it governed. Namespaces are shared, not copied.
    Deployment skeleton = new Deployment();
    skeleton.setMetadata(
        new ObjectMetaBuilder()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace() == null ? null : meta.getNamespace().intern())
            .withResourceVersion(meta.getResourceVersion())
            .build());
    skeleton.getMetadata().setAnnotations(ownAnnotations(meta.getAnnotations()));
    return skeleton;
  }

  /**
   * Kept on skeletons so the mapper can tell which policy an un-governed Deployment left. Never
   * null: JOSDK reads annotations of cached objects (a null map threw once per Deployment).
   */
  static Map<String, String> ownAnnotations(Map<String, String> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return Map.of();
    }
    Map<String, String> own =
        annotations.entrySet().stream()
            .filter(e -> e.getKey().startsWith("runtimepolicy.io/"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return own.isEmpty() ? Map.of() : own;
  }
}
