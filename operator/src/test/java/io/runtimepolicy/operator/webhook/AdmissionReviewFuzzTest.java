package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PolicyCache;

/**
 * Any bytes as an AdmissionReview body, through the real handler and engine: an answer (a review or
 * a 400), never an exception, which the server would turn into a 500.
 */
class AdmissionReviewFuzzTest {

  private static final AdmissionReviewHandler HANDLER =
      new AdmissionReviewHandler(
          new WorkloadAdmission(
              new Governance(PolicyCache.withoutPolicies(), new RuntimePolicySpec(), ns -> true)));

  @FuzzTest(maxDuration = "2m")
  void anyBody(byte[] body) {
    AdmissionResult result = HANDLER.handle(body);

    assertThat(result).isNotNull();
    if (result instanceof AdmissionResult.Reviewed reviewed) {
      assertThat(reviewed.json()).isNotEmpty();
    }
  }
}
