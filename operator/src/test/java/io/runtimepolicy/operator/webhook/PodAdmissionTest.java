package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PodWorkloads;
import io.runtimepolicy.operator.reconciler.PolicyCache;
import io.runtimepolicy.operator.workload.PodOwner;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inject mode at a pod's CREATE, through the whole handler, as the API server applies it. */
class PodAdmissionTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final GroupVersionKind POD = new GroupVersionKind("", "Pod", "v1");
  private static final String USERS_16 = "-Xss512k -XX:ActiveProcessorCount=16";

  @Test
  void anInjectPolicySetsTheValuesTheRecordAndTheMarkInTheNewPod() throws Exception {
    Pod stored = admit(Mode.Inject, pod(), "CREATE");

    assertThat(env(stored, "JAVA_TOOL_OPTIONS")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");
    assertThat(stored.getMetadata().getLabels())
        .containsEntry(Annotations.INJECTED_LABEL, Injection.MARK)
        .containsEntry("app", "web");
    assertThat(stored.getMetadata().getAnnotations())
        .containsKey(Annotations.MANAGED_ENV)
        .containsEntry(Annotations.TUNED_BY, "default");
    // What the census asks of a running pod: it carries what the policy computes.
    assertThat(
            Injection.current(
                settings(Mode.Inject),
                "default",
                stored.getMetadata().getAnnotations(),
                stored.getSpec()))
        .isTrue();
  }

  @Test
  void aSecondRunOfTheWebhookOnTheInjectedPodChangesNothing() throws Exception {
    Pod once = admit(Mode.Inject, pod(), "CREATE");

    assertThat(patch(Mode.Inject, once, "CREATE")).isNull();
  }

  @Test
  void aPodWithoutLabelsGetsTheMarkInANewMap() throws Exception {
    Pod bare = pod();
    bare.getMetadata().setLabels(null);

    assertThat(admit(Mode.Inject, bare, "CREATE").getMetadata().getLabels())
        .containsOnly(Map.entry(Annotations.INJECTED_LABEL, Injection.MARK));
  }

  @Test
  void podsUnderEnforceOrAuditOrNotOptedInAreAdmittedUnchanged() throws Exception {
    assertThat(patch(Mode.Enforce, pod(), "CREATE")).isNull();
    assertThat(patch(Mode.Audit, pod(), "CREATE")).isNull();
    Pod notOptedIn = pod();
    notOptedIn.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);
    assertThat(patch(Mode.Inject, notOptedIn, "CREATE")).isNull();
  }

  @Test
  void aPodUpdateIsNeverPatched() throws Exception {
    assertThat(patch(Mode.Inject, pod(), "UPDATE")).isNull();
  }

  @Test
  void aResizeOfAnInjectedPodWarnsOfEachValueItLeavesStaleAndIsNeverPatched() throws Exception {
    Pod injected = admit(Mode.Inject, pod(), "CREATE");
    Pod resized = withCpuLimit(injected, "4");

    AdmissionReview answer = resize(Mode.Inject, injected, resized);

    assertThat(answer.getResponse().getAllowed()).isTrue();
    assertThat(answer.getResponse().getPatch()).isNull();
    assertThat(answer.getResponse().getPatchType()).isNull();
    assertThat(answer.getResponse().getWarnings())
        .containsExactly(
            "runtimepolicy: -XX:ActiveProcessorCount=2 stays 2 after the CPU limit goes to 4 until"
                + " the pod is recreated");
  }

  @Test
  void aResizeThatChangesNoValueOrOfAPodNotOptedInIsSilent() throws Exception {
    Pod injected = admit(Mode.Inject, pod(), "CREATE");
    Pod sameCores = withCpuLimit(injected, "2");
    assertThat(resize(Mode.Inject, injected, sameCores).getResponse().getWarnings())
        .isNullOrEmpty();

    Pod notOptedIn = JSON.clone(injected);
    notOptedIn.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);
    Pod notOptedInResized = withCpuLimit(notOptedIn, "4");
    AdmissionReview silent = resize(Mode.Inject, notOptedIn, notOptedInResized);
    assertThat(silent.getResponse().getWarnings()).isNullOrEmpty();
    assertThat(silent.getResponse().getPatch()).isNull();
  }

  @Test
  void aResizeOfAnEnforcedWorkloadsPodWarnsFromItsWorkloadsOptIn() throws Exception {
    // An Enforce pod carries the template's values and no opt-in of its own.
    Pod enforced = admit(Mode.Inject, pod(), "CREATE");
    enforced.getMetadata().getAnnotations().clear();
    Pod resized = withCpuLimit(enforced, "4");
    Governance governance = governance(Mode.Enforce);
    Map<String, String> workload = Map.of(Annotations.JAVA_TUNING, "enabled");
    WorkloadAdmission withOwner =
        new WorkloadAdmission(
            governance,
            pod ->
                governance
                    .of("shop", workload)
                    .map(
                        g ->
                            new PodWorkloads.Owned(
                                new PodOwner("apps/v1", "Deployment", "web", null),
                                "uid-web",
                                workload,
                                enforced.getSpec(),
                                g)));

    assertThat(resize(withOwner, enforced, resized).getResponse().getWarnings())
        .containsExactly(
            "runtimepolicy: -XX:ActiveProcessorCount=2 stays 2 after the CPU limit goes to 4 until"
                + " the pod is recreated");
    assertThat(resize(admission(Mode.Enforce), enforced, resized).getResponse().getWarnings())
        .as("a pod whose workload is not governed")
        .isNullOrEmpty();
  }

  /** A copy of {@code pod} whose first container's CPU limit is {@code cpu}: the resized pod. */
  private static Pod withCpuLimit(Pod pod, String cpu) {
    Pod resized = JSON.clone(pod);
    resized
        .getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getLimits()
        .put("cpu", new Quantity(cpu));
    return resized;
  }

  /** A {@code pods/resize} review, as the API server sends it: the pod before and after. */
  private static AdmissionReview resize(Mode mode, Pod old, Pod resized) {
    return resize(admission(mode), old, resized);
  }

  private static AdmissionReview resize(WorkloadAdmission admission, Pod old, Pod resized) {
    AdmissionReview request = Reviews.request("uid-r", POD, "UPDATE", resized);
    request.getRequest().setSubResource("resize");
    request.getRequest().setOldObject(old);
    var result =
        (AdmissionResult.Reviewed)
            new AdmissionReviewHandler(admission).handle(Reviews.json(request));
    return Reviews.response(result.json());
  }

  @Test
  void aWorkloadOptedInOnItsOwnMetadataUnderInjectIsNotPatchedAndIsToldWhereTheOptInGoes() {
    var deployment = TestDeployments.deployment("web").governed().cpuLimit("1500m").build();
    var decision =
        admission(Mode.Inject)
            .review(
                new WorkloadReviewer.Subject(
                    WorkloadKinds.of(deployment).orElseThrow(), deployment, "shop", "CREATE"));

    assertThat(decision.patch()).isNull();
    assertThat(decision.warnings()).contains(Injection.optInOnWorkload().message());
  }

  private static Pod pod() {
    var template =
        TestDeployments.deployment("web")
            .governed()
            .cpuLimit("1500m")
            .javaToolOptions(USERS_16)
            .build()
            .getSpec()
            .getTemplate();
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    return new PodBuilder()
        .withNewMetadata()
        .withGenerateName("web-")
        .withLabels(new HashMap<>(Map.of("app", "web")))
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  private static PolicySettings settings(Mode mode) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setMode(mode);
    return PolicySettings.from(spec);
  }

  private static WorkloadAdmission admission(Mode mode) {
    return new WorkloadAdmission(governance(mode));
  }

  private static Governance governance(Mode mode) {
    RuntimePolicySpec defaults = new RuntimePolicySpec();
    defaults.setMode(mode);
    return new Governance(PolicyCache.withoutPolicies(), defaults, ns -> true);
  }

  /** The base64 JSONPatch the handler answers, or null. */
  private static String patch(Mode mode, Pod pod, String operation) {
    var handler = new AdmissionReviewHandler(admission(mode));
    byte[] body = Reviews.json(Reviews.request("uid-1", POD, operation, pod));
    var result = (AdmissionResult.Reviewed) handler.handle(body);
    AdmissionReview review = Reviews.response(result.json());
    assertThat(review.getResponse().getAllowed()).isTrue();
    return review.getResponse().getPatch();
  }

  /** The pod as the API server stores it after the webhook's answer. */
  private static Pod admit(Mode mode, Pod pod, String operation) throws Exception {
    String patch = patch(mode, pod, operation);
    assertThat(patch).isNotNull();
    JsonNode ops = new ObjectMapper().readTree(Base64.getDecoder().decode(patch));
    JsonNode patched = JsonPatch.apply(ops, JSON.convertValue(pod, JsonNode.class));
    return JSON.convertValue(patched, Pod.class);
  }

  private static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }
}
