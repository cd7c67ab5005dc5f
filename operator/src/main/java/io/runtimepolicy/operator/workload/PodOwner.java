package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The workload a pod belongs to, as status and Events name it in Inject mode, read from the pod
 * alone (no API call): its controller, except that a ReplicaSet a Deployment made is reported as
 * that Deployment; a pod no controller owns is its own workload. Any controller kind works, the
 * operator's own kinds or not.
 *
 * @param uid null when only the name is known (a Deployment behind its ReplicaSet)
 */
public record PodOwner(String apiVersion, String kind, String name, String uid) {

  /** The label the deployment controller puts on a ReplicaSet's pods, also its name suffix. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private static final Set<String> RESTARTABLE = Set.of("Deployment", "StatefulSet", "DaemonSet");

  public static PodOwner of(Pod pod) {
    var meta = pod.getMetadata();
    OwnerReference controller =
        meta.getOwnerReferences() == null
            ? null
            : meta.getOwnerReferences().stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                .findFirst()
                .orElse(null);
    if (controller == null) {
      return new PodOwner("v1", "Pod", meta.getName(), meta.getUid());
    }
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    String hash = labels.get(POD_TEMPLATE_HASH);
    String name = controller.getName();
    if ("ReplicaSet".equals(controller.getKind())
        && "apps/v1".equals(controller.getApiVersion())
        && hash != null
        && !hash.isEmpty()
        && name.length() > hash.length() + 1
        && name.endsWith("-" + hash)) {
      return new PodOwner(
          "apps/v1", "Deployment", name.substring(0, name.length() - hash.length() - 1), null);
    }
    return new PodOwner(
        controller.getApiVersion(), controller.getKind(), name, controller.getUid());
  }

  /** What a user runs to have every pod recreated with the values the policy computes now. */
  public String restartAdvice() {
    if (RESTARTABLE.contains(kind)) {
      return "kubectl rollout restart " + kind.toLowerCase(Locale.ROOT) + "/" + name;
    }
    if ("Pod".equals(kind)) {
      return "recreate the pod";
    }
    if ("Job".equals(kind)) {
      return "its next run is tuned";
    }
    return "delete its pods to have them recreated";
  }
}
