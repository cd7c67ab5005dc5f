package io.runtimepolicy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * AdmissionReview requests as the API server sends them: for {@code kubectl apply} of a new,
 * annotated Deployment (the object after defaulting-free creation, with uid, managedFields as
 * fieldsV1, roughly the size the API server writes, and the last-applied annotation; about 8 KB),
 * or for a ReplicaSet controller's CREATE of a governed pod (Inject mode). Each request gets its
 * own uid and name.
 */
final class AdmissionBodies {

  private static final String UID = "%%UID%%";
  private static final String NAME = "%%NAME%%";

  private final String template;

  private AdmissionBodies(String template) {
    this.template = template;
  }

  static AdmissionBodies deployment(String namespace) {
    Deployment deployment = Workloads.governed(namespace, NAME, null, true);
    deployment.getMetadata().setGeneration(1L);
    stored(deployment, "kubectl-client-side-apply", "apps/v1");
    return new AdmissionBodies(
        review(
            namespace,
            deployment,
            new GroupVersionKind("apps", "Deployment", "v1"),
            new GroupVersionResource("apps", "deployments", "v1"),
            new UserInfoBuilder()
                .withUsername("kubernetes-admin")
                .withUid("admin")
                .withGroups("system:masters", "system:authenticated")
                .build()));
  }

  /** A governed pod (opt-in on its annotations) as its ReplicaSet's controller creates it. */
  static AdmissionBodies pod(String namespace) {
    Pod pod = InjectPods.governed(namespace, NAME);
    pod.getMetadata().setGenerateName("checkout-7d9f8b6c5-");
    pod.getMetadata().getLabels().put("pod-template-hash", "7d9f8b6c5");
    pod.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("ReplicaSet")
                    .withName("checkout-7d9f8b6c5")
                    .withUid("00000000-0000-0000-0000-0000000000aa")
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    stored(pod, "kube-controller-manager", "v1");
    return new AdmissionBodies(
        review(
            namespace,
            pod,
            new GroupVersionKind("", "Pod", "v1"),
            new GroupVersionResource("", "pods", "v1"),
            new UserInfoBuilder()
                .withUsername("system:serviceaccount:kube-system:replicaset-controller")
                .withUid("replicaset-controller")
                .withGroups(
                    "system:serviceaccounts",
                    "system:serviceaccounts:kube-system",
                    "system:authenticated")
                .build()));
  }

  /** What the API server has set by the time it calls admission: uid, time, managedFields. */
  private static void stored(HasMetadata object, String manager, String apiVersion) {
    object.getMetadata().setUid(UID);
    object.getMetadata().setCreationTimestamp("2025-01-01T00:00:00Z");
    object
        .getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager(manager)
                    .withOperation("Update")
                    .withApiVersion(apiVersion)
                    .withTime("2025-01-01T00:00:00Z")
                    .withFieldsType("FieldsV1")
                    .withNewFieldsV1()
                    .addToAdditionalProperties(fieldsOf(object))
                    .endFieldsV1()
                    .build()));
  }

  private static String review(
      String namespace,
      HasMetadata object,
      GroupVersionKind kind,
      GroupVersionResource resource,
      UserInfo user) {
    return Serialization.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withNewRequest()
            .withUid(UID)
            .withKind(kind)
            .withResource(resource)
            .withRequestKind(kind)
            .withRequestResource(resource)
            .withName(NAME)
            .withNamespace(namespace)
            .withOperation("CREATE")
            .withUserInfo(user)
            .withObject(object)
            .withDryRun(false)
            .endRequest()
            .build());
  }

  byte[] body(int i) {
    return template
        .replace(UID, "bench-" + i + "-0000-0000-0000-000000000000")
        .replace(NAME, "checkout-" + i)
        .getBytes(StandardCharsets.UTF_8);
  }

  int size() {
    return body(0).length;
  }

  /** fieldsV1 in the API server's notation: each set field as {@code f:name}, leaves as {}. */
  private static Map<String, Object> fieldsOf(HasMetadata object) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode tree = Serialization.jsonMapper().valueToTree(object);
    tree.remove("apiVersion");
    tree.remove("kind");
    ((ObjectNode) tree.path("metadata"))
        .remove(
            List.of(
                "uid", "creationTimestamp", "generation", "managedFields", "name", "namespace"));
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = mapper.convertValue(fields(tree, mapper), Map.class);
    return fields;
  }

  private static JsonNode fields(JsonNode node, ObjectMapper mapper) {
    ObjectNode out = mapper.createObjectNode();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> out.set("f:" + e.getKey(), fields(e.getValue(), mapper)));
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        String key =
            item.has("name") ? "k:{\"name\":\"" + item.get("name").asText() + "\"}" : "v:" + item;
        out.set(key, fields(item, mapper));
      }
    }
    return out;
  }
}
