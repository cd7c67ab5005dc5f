package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a Deployment event to the policies that must look at it: the one it names, the one whose
 * flags it carries, and the ones it pointed at last time (JOSDK maps only the new object, so a
 * Deployment moving from policy A to B, or losing its annotation, would otherwise leave A stale).
 */
final class DeploymentMapper implements SecondaryToPrimaryMapper<Deployment> {

  private final Map<ResourceID, Set<ResourceID>> lastMapped = new ConcurrentHashMap<>();
  private final DefaultPolicyProvisioner provisioner;

  DeploymentMapper(DefaultPolicyProvisioner provisioner) {
    this.provisioner = provisioner;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Deployment deployment) {
    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> annotations = deployment.getMetadata().getAnnotations();
    Set<ResourceID> current = new HashSet<>();
    Annotations.governingPolicy(annotations)
        .ifPresent(
            name -> {
              current.add(new ResourceID(name, namespace));
              if (Annotations.DEFAULT_POLICY.equals(name)) {
                provisioner.ensureDefaultPolicy(namespace);
              }
            });
    if (annotations != null && annotations.get(Annotations.TUNED_BY) != null) {
      current.add(new ResourceID(annotations.get(Annotations.TUNED_BY), namespace));
    }
    ResourceID id = ResourceID.fromResource(deployment);
    Set<ResourceID> previous = current.isEmpty() ? lastMapped.remove(id) : lastMapped.put(id, Set.copyOf(current));
    if (previous != null) {
      current.addAll(previous);
    }
    return current;
  }
}
