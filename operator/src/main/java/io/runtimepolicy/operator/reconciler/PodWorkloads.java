package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.workload.PodOwner;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The governed workload a pod belongs to, from the workload caches (no API call): how the pod
 * webhook and the stale-pod scan know that a pod of an Enforce or Audit workload runs values its
 * template was given. Inject mode's pods carry their own opt-in and are not answered here.
 */
public final class PodWorkloads {

  /**
   * A pod's workload under a policy that sets values in workloads.
   *
   * @param annotations the workload's, which name its runtimes and its policy
   * @param template the pod spec the workload's values were computed for
   */
  public record Owned(
      PodOwner owner,
      String uid,
      Map<String, String> annotations,
      PodSpec template,
      Governance.Governing governing) {}

  private final Governance governance;
  private volatile List<WorkloadSource<?>> sources = List.of();

  PodWorkloads(Governance governance) {
    this.governance = governance;
  }

  Governance governance() {
    return governance;
  }

  /** The reconciler's caches, once its event sources exist. */
  void use(List<WorkloadSource<?>> sources) {
    this.sources = List.copyOf(sources);
  }

  /** The workload {@code pod} belongs to, when a policy in Enforce or Audit mode governs it. */
  public Optional<Owned> of(Pod pod) {
    return of(pod, (namespace, annotations) -> governance.of(namespace, annotations));
  }

  /** As {@link #of(Pod)}, with {@code governing} answering which policy governs a workload. */
  Optional<Owned> of(Pod pod, Governing governing) {
    if (pod.getMetadata() == null) {
      return Optional.empty();
    }
    PodOwner owner = PodOwner.of(pod);
    String namespace = pod.getMetadata().getNamespace();
    for (WorkloadSource<?> source : sources) {
      if (source.kind().kind().equals(owner.kind())) {
        return source
            .informer()
            .get(new ResourceID(owner.name(), namespace))
            .filter(w -> owner.uid() == null || owner.uid().equals(w.getMetadata().getUid()))
            .flatMap(w -> owned(source, owner, w, governing));
      }
    }
    return Optional.empty();
  }

  /** Which policy governs a workload: {@link Governance#of}, or a scan's memo of it. */
  @FunctionalInterface
  interface Governing {
    Optional<Governance.Governing> of(String namespace, Map<String, String> annotations);
  }

  private static Optional<Owned> owned(
      WorkloadSource<?> source, PodOwner owner, HasMetadata workload, Governing governing) {
    Map<String, String> annotations = workload.getMetadata().getAnnotations();
    PodTemplateSpec template = source.kind().podTemplateOf(workload);
    if (template == null || template.getSpec() == null) {
      return Optional.empty();
    }
    return governing
        .of(workload.getMetadata().getNamespace(), annotations)
        .filter(g -> g.settings().mode() != Mode.Inject)
        .map(
            g ->
                new Owned(
                    owner,
                    Objects.requireNonNullElse(workload.getMetadata().getUid(), ""),
                    annotations,
                    template.getSpec(),
                    g));
  }
}
