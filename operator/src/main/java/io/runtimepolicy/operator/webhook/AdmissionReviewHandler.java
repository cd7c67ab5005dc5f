package io.runtimepolicy.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.webhook.WorkloadReviewer.Decision;
import io.runtimepolicy.operator.webhook.WorkloadReviewer.Subject;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps an {@code admission.k8s.io/v1} AdmissionReview request body to the response body. Pure: no
 * I/O, and no input makes it throw.
 *
 * <p>Every review it can answer is allowed; CREATE and UPDATE of a governed kind ({@link
 * WorkloadKinds}) carry the warnings and the JSONPatch of {@link WorkloadReviewer}, everything else
 * neither. A {@link AdmissionResult.BadRequest} (HTTP 400) is returned for a body that is not JSON,
 * a review whose apiVersion is not {@code admission.k8s.io/v1} or whose kind is not {@code
 * AdmissionReview}, a review without {@code request} or {@code request.uid}, and a workload CREATE
 * or UPDATE without a {@code request.object} of its kind. DELETE carries no object by design and is
 * allowed without one.
 */
public final class AdmissionReviewHandler {
  private static final Logger log = LoggerFactory.getLogger(AdmissionReviewHandler.class);
  static final String API_VERSION = "admission.k8s.io/v1";
  private static final Set<String> REVIEWED_OPERATIONS = Set.of("CREATE", "UPDATE");

  private final WorkloadReviewer reviewer;
  private final Consumer<String> reviewed;
  private final ObjectMapper json = new ObjectMapper();

  public AdmissionReviewHandler(WorkloadReviewer reviewer) {
    this(reviewer, kind -> {});
  }

  /** {@code reviewed}: told the kind of each review answered (a governed kind, Pod, or other). */
  public AdmissionReviewHandler(WorkloadReviewer reviewer, Consumer<String> reviewed) {
    this.reviewer = reviewer;
    this.reviewed = reviewed;
    // Registers fabric8's model types on this mapper, so request.object reads as a Deployment;
    // a plain mapper (unlike Serialization.unmarshal) also refuses YAML bodies.
    new KubernetesSerialization(json, true);
  }

  public AdmissionResult handle(byte[] body) {
    JsonNode tree;
    AdmissionReview review;
    try {
      tree = json.readTree(body);
      review = json.treeToValue(tree, AdmissionReview.class);
    } catch (IOException | RuntimeException e) {
      return new AdmissionResult.BadRequest("body is not an AdmissionReview in JSON");
    }
    String problem = problemWith(review);
    if (problem != null) {
      return new AdmissionResult.BadRequest(problem);
    }
    AdmissionRequest request = review.getRequest();
    Optional<WorkloadKind<?>> kind = reviewedKind(request);
    if (kind.isPresent()) {
      // The API server always sends apiVersion and kind with the object, so fabric8 reads it as
      // the model class; anything else is not what the webhook was registered for.
      if (!(request.getObject() instanceof HasMetadata workload)
          || !kind.get().type().isInstance(workload)) {
        return new AdmissionResult.BadRequest(
            "request.object is missing or not a " + kind.get().kind());
      }
      // Read from the tree: only the record of the old object matters, not the whole object.
      JsonNode stored =
          tree.path("request")
              .path("oldObject")
              .path("metadata")
              .path("annotations")
              .path(Annotations.MANAGED_ENV);
      Subject subject =
          new Subject(
              kind.get(),
              workload,
              request.getNamespace(),
              request.getOperation(),
              stored.isTextual() ? stored.asText() : null,
              blankToNull(request.getSubResource()),
              request.getOldObject() instanceof HasMetadata old ? old : null);
      reviewed.accept(kind.get().kind());
      Decision decision = decide(subject);
      if (subject.subResource() != null) {
        // A subresource write (pods/resize) is only ever warned about: its object is not the
        // workload a plan describes.
        return respond(request.getUid(), decision.warnings(), null);
      }
      JsonNode sent = tree.path("request").path("object");
      return respond(request.getUid(), decision.warnings(), patchOf(subject, sent, decision));
    }
    reviewed.accept("other");
    return respond(request.getUid(), List.of(), null);
  }

  private static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
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

  private static Optional<WorkloadKind<?>> reviewedKind(AdmissionRequest request) {
    GroupVersionKind kind = request.getKind();
    // Set.of(...).contains(null) throws: a review without an operation is simply not ours.
    String operation = request.getOperation();
    if (kind == null || operation == null || !REVIEWED_OPERATIONS.contains(operation)) {
      return Optional.empty();
    }
    return WorkloadKinds.reviewed(kind.getGroup(), kind.getVersion(), kind.getKind());
  }

  /** Never throws: whatever goes wrong, the write is admitted unchanged and without warnings. */
  private Decision decide(Subject subject) {
    try {
      Decision decision = reviewer.review(subject);
      return decision == null ? Decision.warn(List.of()) : decision;
    } catch (Exception | StackOverflowError e) {
      var meta = subject.workload().getMetadata();
      log.warn(
          "Admitting {} {}/{} unchanged: evaluating the policy failed: {}",
          subject.kind().kind(),
          subject.namespace(),
          meta == null ? null : meta.getName(),
          e.toString());
      return Decision.warn(List.of());
    }
  }

  /**
   * The decision's plan as a base64 JSONPatch; null when it has none or it cannot be built. A patch
   * that does not apply fails the user's write with an internal error, whatever the failure policy,
   * so each one is first applied to the object as it was sent.
   */
  private String patchOf(Subject subject, JsonNode sent, Decision decision) {
    if (decision.patch() == null) {
      return null;
    }
    try {
      ArrayNode ops = JsonPatches.of(subject.kind(), subject.workload(), decision.patch());
      if (ops.isEmpty()) {
        return null;
      }
      JsonPatch.apply(ops, sent);
      return Base64.getEncoder().encodeToString(json.writeValueAsBytes(ops));
    } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
      log.warn(
          "Admitting {} {}/{} unchanged: building the patch failed: {}",
          subject.kind().kind(),
          subject.namespace(),
          subject.workload().getMetadata().getName(),
          e.toString());
      return null;
    }
  }

  private AdmissionResult respond(String uid, List<String> warnings, String patch) {
    List<String> warningTexts = WarningMessages.format(warnings);
    AdmissionReview response =
        new AdmissionReviewBuilder()
            .withApiVersion(API_VERSION)
            .withKind("AdmissionReview")
            .withResponse(
                new AdmissionResponseBuilder()
                    .withUid(uid)
                    .withAllowed(true)
                    .withWarnings(warningTexts.isEmpty() ? null : warningTexts)
                    .withPatchType(patch == null ? null : "JSONPatch")
                    .withPatch(patch)
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
