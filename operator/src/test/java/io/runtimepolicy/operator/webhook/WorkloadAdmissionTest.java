package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PolicyCache;
import io.runtimepolicy.operator.webhook.WorkloadReviewer.Decision;
import io.runtimepolicy.operator.webhook.WorkloadReviewer.Subject;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the webhook answers, per mode and kind, from the one engine. */
class WorkloadAdmissionTest {

  private static final String USERS_16 = "-Xss512k -XX:ActiveProcessorCount=16";

  @Test
  void enforcePatchesAndDoesNotWarnAboutTheValueItSets() {
    Decision decision = review(admission(Mode.Enforce), governed(), "CREATE");

    assertThat(decision.patch()).isNotNull();
    assertThat(decision.patch().env())
        .singleElement()
        .satisfies(e -> assertThat(e.value()).isEqualTo("-Xss512k -XX:ActiveProcessorCount=2"));
    assertThat(decision.warnings()).noneMatch(w -> w.contains("the policy computes"));
  }

  @Test
  void auditNeverPatchesAndWarnsAboutTheFlagItWouldReplace() {
    Decision decision = review(admission(Mode.Audit), governed(), "UPDATE");

    assertThat(decision.patch()).isNull();
    assertThat(decision.warnings())
        .contains(
            "container app: JAVA_TOOL_OPTIONS has -XX:ActiveProcessorCount=16, the policy computes 2");
  }

  @Test
  void aJobIsPatchedWhenCreatedAndNeverOnUpdate() {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName("once")
            .withAnnotations(Map.of(Annotations.JAVA_TUNING, "enabled"))
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withSpec(governed().getSpec().getTemplate().getSpec())
            .endTemplate()
            .endSpec()
            .build();

    assertThat(review(admission(Mode.Enforce), job, "CREATE").patch()).isNotNull();
    assertThat(review(admission(Mode.Enforce), job, "UPDATE").patch()).isNull();
  }

  @Test
  void aNamedPolicyThatDoesNotExistTunesNothingAndSaysSo() {
    var workload = governed();
    workload.getMetadata().getAnnotations().put(Annotations.POLICY, "nowhere");

    Decision decision = review(admission(Mode.Enforce), workload, "CREATE");

    assertThat(decision.patch()).isNull();
    assertThat(decision.warnings())
        .containsExactly(
            "runtimepolicy.io/policy names \"nowhere\", which does not exist in this namespace:"
                + " not tuned");
  }

  @Test
  void leavingIsPatchedInTheUsersOwnWrite() {
    WorkloadAdmission enforce = admission(Mode.Enforce);
    var workload = governed();
    PlanApplier.applyTo(workload, review(enforce, workload, "CREATE").patch());
    workload.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);

    Decision leaving = review(enforce, workload, "UPDATE");

    assertThat(leaving.patch()).isNotNull();
    assertThat(leaving.patch().env())
        .singleElement()
        .satisfies(e -> assertThat(e.value()).isEqualTo(USERS_16));
    assertThat(leaving.warnings()).isEmpty();
  }

  @Test
  void untilThePoliciesAreKnownEverythingIsAdmittedUnchanged() {
    var notReady =
        new WorkloadAdmission(
            new Governance(new PolicyCache(), new RuntimePolicySpec(), ns -> true));

    Decision decision = review(notReady, governed(), "CREATE");

    assertThat(decision.patch()).isNull();
    assertThat(decision.warnings()).isEmpty();
  }

  @Test
  void namespacesOutsideTheWatchedOnesAreNotGoverned() {
    var elsewhere =
        new WorkloadAdmission(
            new Governance(PolicyCache.withoutPolicies(), new RuntimePolicySpec(), ns -> false));

    assertThat(review(elsewhere, governed(), "CREATE").patch()).isNull();
  }

  private static WorkloadAdmission admission(Mode mode) {
    RuntimePolicySpec defaults = new RuntimePolicySpec();
    defaults.setMode(mode);
    return new WorkloadAdmission(
        new Governance(PolicyCache.withoutPolicies(), defaults, ns -> true));
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment governed() {
    return TestDeployments.deployment("app")
        .governed()
        .cpuLimit("1500m")
        .javaToolOptions(USERS_16)
        .build();
  }

  private static Decision review(
      WorkloadAdmission admission, HasMetadata workload, String operation) {
    return admission.review(
        new Subject(WorkloadKinds.of(workload).orElseThrow(), workload, "shop", operation));
  }
}
