package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;

/** AdmissionReview request bodies as the API server sends them, and responses read back. */
final class Reviews {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final GroupVersionKind DEPLOYMENT =
      new GroupVersionKindBuilder()
          .withGroup("apps")
          .withVersion("v1")
          .withKind("Deployment")
          .build();

  private Reviews() {}

  /** A reviewer that only warns, with what {@code warnings} says of the workload and namespace. */
  static WorkloadReviewer warnings(BiFunction<HasMetadata, String, List<String>> warnings) {
    return subject -> {
      List<String> texts = warnings.apply(subject.workload(), subject.namespace());
      return texts == null ? null : WorkloadReviewer.Decision.warn(texts);
    };
  }

  static Deployment deployment(String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static AdmissionReview request(
      String uid, GroupVersionKind kind, String operation, Object object) {
    return new AdmissionReviewBuilder()
        .withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview")
        .withNewRequest()
        .withUid(uid)
        .withKind(kind)
        .withNamespace("shop")
        .withOperation(operation)
        .withObject(object)
        .endRequest()
        .build();
  }

  static byte[] deploymentCreate(String uid) {
    return json(request(uid, DEPLOYMENT, "CREATE", deployment("checkout")));
  }

  static byte[] json(Object review) {
    return SERIALIZATION.asJson(review).getBytes(StandardCharsets.UTF_8);
  }

  static AdmissionReview response(byte[] body) {
    return SERIALIZATION.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
  }
}
