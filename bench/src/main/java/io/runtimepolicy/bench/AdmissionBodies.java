package io.runtimepolicy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * AdmissionReview requests as the API server sends them for {@code kubectl apply} of a new,
 * annotated Deployment: the object after defaulting-free creation, with uid, managedFields (as
 * fieldsV1, roughly the size the API server writes) and the last-applied annotation; about 8 KB.
 * Each request gets its own uid and name.
 */
final class AdmissionBodies {

  private static final String UID = "%%UID%%";
  private static final String NAME = "%%NAME%%";

  private final String template;

  AdmissionBodies(String namespace) {
    Deployment deployment = Workloads.governed(namespace, NAME, null, true);
    deployment.getMetadata().setUid(UID);
    deployment.getMetadata().setCreationTimestamp("2025-01-01T00:00:00Z");
    deployment.getMetadata().setGeneration(1L);
    deployment
        .getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl-client-side-apply")
                    .withOperation("Update")
                    .withApiVersion("apps/v1")
                    .withTime("2025-01-01T00:00:00Z")
                    .withFieldsType("FieldsV1")
                    .withNewFieldsV1()
                    .addToAdditionalProperties(fieldsOf(deployment))
                    .endFieldsV1()
                    .build()));
    template =
        Serialization.asJson(
            new AdmissionReviewBuilder()
                .withApiVersion("admission.k8s.io/v1")
                .withKind("AdmissionReview")
                .withNewRequest()
                .withUid(UID)
                .withKind(new GroupVersionKind("apps", "Deployment", "v1"))
                .withResource(new GroupVersionResource("apps", "deployments", "v1"))
                .withRequestKind(new GroupVersionKind("apps", "Deployment", "v1"))
                .withRequestResource(new GroupVersionResource("apps", "deployments", "v1"))
                .withName(NAME)
                .withNamespace(namespace)
                .withOperation("CREATE")
                .withNewUserInfo()
                .withUsername("kubernetes-admin")
                .withUid("admin")
                .withGroups("system:masters", "system:authenticated")
                .endUserInfo()
                .withObject(deployment)
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
  private static Map<String, Object> fieldsOf(Deployment deployment) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode tree = Serialization.jsonMapper().valueToTree(deployment);
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
