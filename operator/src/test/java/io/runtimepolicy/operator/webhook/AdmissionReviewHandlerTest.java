package io.runtimepolicy.operator.webhook;

import static io.runtimepolicy.operator.webhook.Reviews.DEPLOYMENT;
import static io.runtimepolicy.operator.webhook.Reviews.deployment;
import static io.runtimepolicy.operator.webhook.Reviews.json;
import static io.runtimepolicy.operator.webhook.Reviews.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdmissionReviewHandlerTest {
  private final List<String> calls = new ArrayList<>();

  private AdmissionReviewHandler handlerWarning(String... messages) {
    return new AdmissionReviewHandler(
        Reviews.warnings(
            (deployment, namespace) -> {
              calls.add(namespace + "/" + deployment.getMetadata().getName());
              return List.of(messages);
            }));
  }

  private static AdmissionResponse reviewed(AdmissionResult result) {
    assertThat(result).isInstanceOf(AdmissionResult.Reviewed.class);
    AdmissionReview review = Reviews.response(((AdmissionResult.Reviewed) result).json());
    assertThat(review.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.getKind()).isEqualTo("AdmissionReview");
    return review.getResponse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREATE", "UPDATE"})
  void deploymentWritesCarryPrefixedWarnings(String operation) {
    var body = json(request("uid-1", DEPLOYMENT, operation, deployment("checkout")));

    var response = reviewed(handlerWarning("liveness too slow", "no CPU").handle(body));

    assertThat(response.getUid()).isEqualTo("uid-1");
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getWarnings())
        .containsExactly("runtimepolicy: liveness too slow", "runtimepolicy: no CPU");
    assertThat(calls).containsExactly("shop/checkout");
  }

  @Test
  void ungovernedDeploymentGetsNoWarningsField() {
    var result = handlerWarning().handle(Reviews.deploymentCreate("uid-2"));

    var response = reviewed(result);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getWarnings()).isNullOrEmpty();
    assertThat(new String(((AdmissionResult.Reviewed) result).json(), StandardCharsets.UTF_8))
        .doesNotContain("warnings");
  }

  @Test
  void deleteIsAllowedWithoutAskingThePolicy() {
    var body = json(request("uid-3", DEPLOYMENT, "DELETE", null));

    var response = reviewed(handlerWarning("never").handle(body));

    assertThat(response.getUid()).isEqualTo("uid-3");
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getWarnings()).isNullOrEmpty();
    assertThat(calls).isEmpty();
  }

  @Test
  void otherKindsAreAllowedWithoutAskingThePolicy() {
    // Pods are reviewed too (Inject mode); a ConfigMap is nothing the webhook is registered for.
    var pod =
        new GroupVersionKindBuilder().withGroup("").withVersion("v1").withKind("ConfigMap").build();
    var podObject = new ConfigMapBuilder().withNewMetadata().withName("p").endMetadata().build();
    var oldDeployment = new GroupVersionKindBuilder(DEPLOYMENT).withVersion("v1beta2").build();

    var handler = handlerWarning("never");
    var forPod = reviewed(handler.handle(json(request("uid-4", pod, "CREATE", podObject))));
    var forOldApi =
        reviewed(handler.handle(json(request("uid-5", oldDeployment, "CREATE", deployment("d")))));

    assertThat(forPod.getWarnings()).isNullOrEmpty();
    assertThat(forOldApi.getWarnings()).isNullOrEmpty();
    assertThat(forPod.getAllowed()).isTrue();
    assertThat(forOldApi.getUid()).isEqualTo("uid-5");
    assertThat(calls).isEmpty();
  }

  @Test
  void moreThanTenWarningsAreCappedAndTheTenthCountsTheRest() {
    String[] twelve =
        IntStream.rangeClosed(1, 12).mapToObj(i -> "finding " + i).toArray(String[]::new);

    var warnings =
        reviewed(handlerWarning(twelve).handle(Reviews.deploymentCreate("u"))).getWarnings();

    assertThat(warnings).hasSize(10);
    assertThat(warnings.subList(0, 9))
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 9).mapToObj(i -> "runtimepolicy: finding " + i).toList());
    assertThat(warnings.get(9)).isEqualTo("runtimepolicy: 3 more warnings not shown");
  }

  @Test
  void exactlyTenWarningsAreAllShown() {
    String[] ten =
        IntStream.rangeClosed(1, 10).mapToObj(i -> "finding " + i).toArray(String[]::new);

    var warnings =
        reviewed(handlerWarning(ten).handle(Reviews.deploymentCreate("u"))).getWarnings();

    assertThat(warnings).hasSize(10).last().isEqualTo("runtimepolicy: finding 10");
  }

  @Test
  void longWarningsAreTruncatedBelow120Characters() {
    var warnings =
        reviewed(
                handlerWarning("x".repeat(500), "y".repeat(104))
                    .handle(Reviews.deploymentCreate("u")))
            .getWarnings();

    assertThat(warnings).allSatisfy(w -> assertThat(w).hasSizeLessThan(120));
    assertThat(warnings.get(0)).startsWith("runtimepolicy: xxx").endsWith("...").hasSize(119);
    assertThat(warnings.get(1)).isEqualTo("runtimepolicy: " + "y".repeat(104));
  }

  @Test
  void controlCharactersBlankAndNullMessagesAreCleaned() {
    var messages = new ArrayList<String>(List.of("two\nlines\tand a tab", "  ", "kept"));
    messages.add(null);
    var handler = new AdmissionReviewHandler(Reviews.warnings((d, ns) -> messages));

    var warnings = reviewed(handler.handle(Reviews.deploymentCreate("u"))).getWarnings();

    assertThat(warnings)
        .containsExactly("runtimepolicy: two lines and a tab", "runtimepolicy: kept");
  }

  @Test
  void throwingOrNullPolicyAdmitsWithoutWarnings() {
    var throwing =
        new AdmissionReviewHandler(
            s -> {
              throw new IllegalStateException("engine bug");
            });
    var recursing =
        new AdmissionReviewHandler(
            s -> {
              throw new StackOverflowError();
            });
    var returningNull = new AdmissionReviewHandler(s -> null);

    for (var handler : List.of(throwing, recursing, returningNull)) {
      var response = reviewed(handler.handle(Reviews.deploymentCreate("uid-x")));
      assertThat(response.getUid()).isEqualTo("uid-x");
      assertThat(response.getAllowed()).isTrue();
      assertThat(response.getWarnings()).isNullOrEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "not json",
        "[]",
        "null",
        "42",
        "apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\n",
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":\"x\"}"
      })
  void malformedBodiesAreBadRequests(String body) {
    var result = handlerWarning().handle(body.getBytes(StandardCharsets.UTF_8));

    assertThat(result).isInstanceOf(AdmissionResult.BadRequest.class);
  }

  @Test
  void wrongApiVersionOrKindIsABadRequest() {
    var v1beta1 = request("u", DEPLOYMENT, "CREATE", deployment("d"));
    v1beta1.setApiVersion("admission.k8s.io/v1beta1");
    var wrongKind = request("u", DEPLOYMENT, "CREATE", deployment("d"));
    wrongKind.setKind("ConversionReview");

    assertThat(handlerWarning().handle(json(v1beta1)))
        .isEqualTo(badRequest("expected apiVersion admission.k8s.io/v1, kind AdmissionReview"));
    assertThat(handlerWarning().handle(json(wrongKind)))
        .isEqualTo(badRequest("expected apiVersion admission.k8s.io/v1, kind AdmissionReview"));
  }

  @Test
  void missingRequestUidOrObjectIsABadRequest() {
    var noRequest = request("u", DEPLOYMENT, "CREATE", deployment("d"));
    noRequest.setRequest(null);
    var noUid = request(null, DEPLOYMENT, "CREATE", deployment("d"));
    var noObject = request("u", DEPLOYMENT, "CREATE", null);
    var notADeployment =
        request(
            "u",
            DEPLOYMENT,
            "UPDATE",
            new PodBuilder().withNewMetadata().withName("p").endMetadata().build());

    var handler = handlerWarning("never");
    assertThat(handler.handle(json(noRequest))).isEqualTo(badRequest("request is missing"));
    assertThat(handler.handle(json(noUid))).isEqualTo(badRequest("request.uid is missing"));
    assertThat(handler.handle(json(noObject)))
        .isEqualTo(badRequest("request.object is missing or not a Deployment"));
    assertThat(handler.handle(json(notADeployment)))
        .isEqualTo(badRequest("request.object is missing or not a Deployment"));
    assertThat(calls).isEmpty();
  }

  @Test
  void readsTheApiServersOwnJson() {
    String body =
        """
        {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{
          "uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
          "kind":{"group":"apps","version":"v1","kind":"Deployment"},
          "resource":{"group":"apps","version":"v1","resource":"deployments"},
          "requestKind":{"group":"apps","version":"v1","kind":"Deployment"},
          "requestResource":{"group":"apps","version":"v1","resource":"deployments"},
          "name":"web","namespace":"team-a","operation":"CREATE",
          "userInfo":{"username":"admin","groups":["system:masters","system:authenticated"]},
          "object":{"kind":"Deployment","apiVersion":"apps/v1",
            "metadata":{"name":"web","namespace":"team-a","annotations":{"runtimepolicy.io/java-tuning":"enabled"}},
            "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},
                "spec":{"containers":[{"name":"app","image":"nginx","resources":{"limits":{"cpu":"500m"}}}]}}}},
          "oldObject":null,"dryRun":false,
          "options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1","fieldManager":"kubectl-client-side-apply"}}}
        """;

    var response = reviewed(handlerWarning("w").handle(body.getBytes(StandardCharsets.UTF_8)));

    assertThat(response.getUid()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(response.getWarnings()).containsExactly("runtimepolicy: w");
    assertThat(calls).containsExactly("team-a/web");
  }

  private static AdmissionResult badRequest(String reason) {
    return new AdmissionResult.BadRequest(reason);
  }
}
