package io.runtimepolicy.operator.webhook;

/**
 * What {@link AdmissionReviewHandler} makes of a request body: either a response AdmissionReview
 * (HTTP 200) or the reason the body is not a usable AdmissionReview (HTTP 400).
 */
public sealed interface AdmissionResult {

  /** A serialized {@code admission.k8s.io/v1} AdmissionReview carrying the response. */
  record Reviewed(byte[] json) implements AdmissionResult {}

  /** The body cannot be answered with an AdmissionReview; {@code reason} is safe to echo. */
  record BadRequest(String reason) implements AdmissionResult {}
}
