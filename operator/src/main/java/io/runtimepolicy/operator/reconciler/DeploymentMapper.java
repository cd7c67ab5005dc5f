package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Maps a Deployment event to the policies that must look at it: the one it names and the one whose
 * flags it carries. JOSDK maps only the new object of an update, so a Deployment moving from policy
 * A to B, or losing its annotation, would leave A stale: the update filter, which sees both objects
 * and runs just before the mapper on the same thread, hands the old policies over.
 */
final class DeploymentMapper
    implements SecondaryToPrimaryMapper<Deployment>, OnUpdateFilter<Deployment> {

  private final Map<ResourceID, Set<ResourceID>> leftBehind = new ConcurrentHashMap<>();
  private final DefaultPolicyProvisioner provisioner;
  private final Predicate<String> watched;

  DeploymentMapper(DefaultPolicyProvisioner provisioner, Predicate<String> watched) {
    this.provisioner = provisioner;
    this.watched = watched;
  }

  /**
   * Updates that can change what a policy computes: it gained or lost a Deployment, or a governed
   * Deployment's spec (its generation) or {@code runtimepolicy.io/} annotations changed. Status
   * updates, which the deployment controller writes several times per rollout, and other metadata
   * would each re-evaluate the whole namespace for nothing.
   */
  @Override
  public boolean accept(Deployment newDeployment, Deployment oldDeployment) {
    if (!watched.test(newDeployment.getMetadata().getNamespace())) {
      return false;
    }
    Set<ResourceID> before = policies(oldDeployment);
    Set<ResourceID> after = policies(newDeployment);
    if (!after.containsAll(before)) {
      leftBehind.put(ResourceID.fromResource(newDeployment), before);
    }
    if (before.isEmpty() && after.isEmpty()) {
      return false;
    }
    return !before.equals(after)
        || !Objects.equals(
            oldDeployment.getMetadata().getGeneration(),
            newDeployment.getMetadata().getGeneration())
        || !ownAnnotations(oldDeployment).equals(ownAnnotations(newDeployment));
  }

  private static Map<String, String> ownAnnotations(Deployment deployment) {
    return PrunedDeploymentStore.ownAnnotations(deployment.getMetadata().getAnnotations());
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Deployment deployment) {
    if (!watched.test(deployment.getMetadata().getNamespace())) {
      return Set.of();
    }
    Set<ResourceID> ids = new HashSet<>(policies(deployment));
    Set<ResourceID> before = leftBehind.remove(ResourceID.fromResource(deployment));
    if (before != null) {
      ids.addAll(before);
    }
    Annotations.governingPolicy(deployment.getMetadata().getAnnotations())
        .filter(Annotations.DEFAULT_POLICY::equals)
        .ifPresent(
            name -> provisioner.ensureDefaultPolicy(deployment.getMetadata().getNamespace()));
    return ids;
  }

  private static Set<ResourceID> policies(Deployment deployment) {
    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> annotations = deployment.getMetadata().getAnnotations();
    Set<ResourceID> ids = new HashSet<>(2);
    Annotations.governingPolicy(annotations)
        .ifPresent(name -> ids.add(new ResourceID(name, namespace)));
    if (annotations != null && annotations.get(Annotations.TUNED_BY) != null) {
      ids.add(new ResourceID(annotations.get(Annotations.TUNED_BY), namespace));
    }
    return ids;
  }
}
