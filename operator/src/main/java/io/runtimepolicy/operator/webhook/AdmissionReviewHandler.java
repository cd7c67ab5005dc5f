package io.runtimepolicy.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps an {@code admission.k8s.io/v1} AdmissionReview request body to the response body. Pure: no
 * I/O, and no input makes it throw.
 *
 * <p>Every review it can answer is allowed; apps/v1 Deployment CREATE and UPDATE carry the warnings
 * of {@link DeploymentWarnings}, everything else none. A {@link AdmissionResult.BadRequest} (HTTP
 * 400) is returned for a body that is not JSON, a review whose apiVersion is not {@code
 * admission.k8s.io/v1} or whose kind is not {@code AdmissionReview}, a review without {@code
 * request} or {@code request.uid}, and a Deployment CREATE or UPDATE without a {@code
 * request.object} that reads as a Deployment. DELETE carries no object by design and is allowed
 * without one.
 */
public final class AdmissionReviewHandler {
  private static final Logger log = LoggerFactory.getLogger(AdmissionReviewHandler.class);
  static final String API_VERSION = "admission.k8s.io/v1";
  private static final Set<String> WARNED_OPERATIONS = Set.of("CREATE", "UPDATE");

  private final DeploymentWarnings warnings;
  private final ObjectMapper json = new ObjectMapper();

  public AdmissionReviewHandler(DeploymentWarnings warnings) {
    this.warnings = warnings;
    // Registers fabric8's model types on this mapper, so request.object reads as a Deployment;
    // a plain mapper (unlike Serialization.unmarshal) also refuses YAML bodies.
    new KubernetesSerialization(json, true);
  }

  public AdmissionResult handle(byte[] body) {
    AdmissionReview review;
    try {
      review = json.readValue(body, AdmissionReview.class);
    } catch (IOException | RuntimeException e) {
      return new AdmissionResult.BadRequest("body is not an AdmissionReview in JSON");
    }
    String problem = problemWith(review);
    if (problem != null) {
      return new AdmissionResult.BadRequest(problem);
    }
    AdmissionRequest request = review.getRequest();
    if (isDeploymentWrite(request)) {
      Deployment deployment = deploymentIn(request);
      if (deployment == null) {
        return new AdmissionResult.BadRequest("request.object is missing or not a Deployment");
      }
      return respond(request.getUid(), warningsFor(deployment, request.getNamespace()));
    }
    return respond(request.getUid(), List.of());
  }

  private static String problemWith(AdmissionReview review) {
    if (review == null) {
      return "body is not an AdmissionReview in JSON";
    }
    if (!API_VERSION.equals(review.getApiVersion())
        || !"AdmissionReview".equals(review.getKind())) {
      return "expected apiVersion " + API_VERSION + ", kind AdmissionReview";
    }
    if (review.getRequest() == null) {
      return "request is missing";
    }
    String uid = review.getRequest().getUid();
    return uid == null || uid.isBlank() ? "request.uid is missing" : null;
  }

  private static boolean isDeploymentWrite(AdmissionRequest request) {
    GroupVersionKind kind = request.getKind();
    return kind != null
        && "apps".equals(kind.getGroup())
        && "v1".equals(kind.getVersion())
        && "Deployment".equals(kind.getKind())
        && WARNED_OPERATIONS.contains(request.getOperation());
  }

  // The API server always sends apiVersion and kind with the object, so fabric8 reads it as a
  // Deployment; anything else is not what the webhook was registered for.
  private static Deployment deploymentIn(AdmissionRequest request) {
    return request.getObject() instanceof Deployment deployment ? deployment : null;
  }

  private List<String> warningsFor(Deployment deployment, String namespace) {
    try {
      List<String> messages = warnings.warningsFor(deployment, namespace);
      return messages == null ? List.of() : WarningMessages.format(messages);
    } catch (Exception | StackOverflowError e) {
      log.warn(
          "Admitting Deployment {}/{} without warnings: evaluating the policy failed: {}",
          namespace,
          deployment.getMetadata() == null ? null : deployment.getMetadata().getName(),
          e.toString());
      return List.of();
    }
  }

  private AdmissionResult respond(String uid, List<String> warningTexts) {
    AdmissionReview response =
        new AdmissionReviewBuilder()
            .withApiVersion(API_VERSION)
            .withKind("AdmissionReview")
            .withResponse(
                new AdmissionResponseBuilder()
                    .withUid(uid)
                    .withAllowed(true)
                    .withWarnings(warningTexts.isEmpty() ? null : warningTexts)
                    .build())
            .build();
    try {
      return new AdmissionResult.Reviewed(json.writeValueAsBytes(response));
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("Admitting {} without warnings: writing the response failed: {}", uid, e.toString());
      return new AdmissionResult.Reviewed(bareAllowed(uid));
    }
  }

  private static byte[] bareAllowed(String uid) {
    String quotedUid = new String(JsonStringEncoder.getInstance().quoteAsString(uid));
    return ("{\"apiVersion\":\""
            + API_VERSION
            + "\",\"kind\":\"AdmissionReview\","
            + "\"response\":{\"uid\":\""
            + quotedUid
            + "\",\"allowed\":true}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
