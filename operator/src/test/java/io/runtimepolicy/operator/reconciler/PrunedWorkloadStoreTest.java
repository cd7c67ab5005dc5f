package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.WorkloadEvaluation;
import io.runtimepolicy.operator.policy.WorkloadEvaluator;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the workload caches keep: for a governed workload of every kind, exactly what the engine
 * reads (it evaluates the kept copy as it evaluates the whole object); for any other, a skeleton.
 */
class PrunedWorkloadStoreTest {

  private static final Path EXAMPLES = Path.of("..", "examples");

  /** Every workload of the examples, as each governed kind, under each example policy. */
  static Stream<HasMetadata> exampleWorkloads() throws IOException {
    List<HasMetadata> workloads = new ArrayList<>();
    for (Deployment example : examples(Deployment.class)) {
      for (WorkloadKind<?> kind : WorkloadKinds.all()) {
        workloads.add(kind.withTemplate(example.getMetadata(), example.getSpec().getTemplate()));
      }
    }
    return workloads.stream();
  }

  @ParameterizedTest
  @MethodSource("exampleWorkloads")
  void theKeptCopyOfAGovernedWorkloadEvaluatesAsTheWholeObject(HasMetadata workload)
      throws IOException {
    HasMetadata whole = Serialization.clone(workload);
    HasMetadata kept = keepingAll(workload).prune(Serialization.clone(workload));

    List<PolicySettings> policies = new ArrayList<>(List.of(PolicySettings.defaults()));
    examples(RuntimePolicy.class).forEach(p -> policies.add(PolicySettings.from(p.getSpec())));
    for (PolicySettings policy : policies) {
      WorkloadEvaluation expected = WorkloadEvaluator.evaluate(policy, whole);
      WorkloadEvaluation actual = WorkloadEvaluator.evaluate(policy, kept);
      assertThat(actual.state()).isEqualTo(expected.state());
      assertThat(actual.desiredEnv()).isEqualTo(expected.desiredEnv());
      assertThat(actual.findings()).isEqualTo(expected.findings());
    }
  }

  @Test
  void aGovernedWorkloadKeepsItsIdentityOwnAnnotationsAndContainersAndNothingElse() {
    Deployment whole = governed();

    Deployment kept = new PrunedWorkloadStore<>(kind()).prune(whole);

    ObjectMeta meta = kept.getMetadata();
    assertThat(meta.getName()).isEqualTo("web");
    assertThat(meta.getNamespace()).isEqualTo("shop");
    assertThat(meta.getUid()).isEqualTo("uid-1");
    assertThat(meta.getResourceVersion()).isEqualTo("42");
    assertThat(meta.getGeneration()).isEqualTo(3L);
    assertThat(meta.getCreationTimestamp()).isEqualTo("2026-12-03T00:00:00Z");
    assertThat(meta.getAnnotations())
        .containsOnlyKeys(Annotations.JAVA_TUNING, Annotations.MANAGED_ENV);
    assertThat(meta.getLabels()).isEmpty();
    assertThat(meta.getManagedFields()).isEmpty();
    assertThat(kept.getStatus()).isNull();
    assertThat(kept.getSpec().getReplicas()).isNull();
    assertThat(kept.getSpec().getSelector()).isNull();

    PodTemplateSpec template = kept.getSpec().getTemplate();
    assertThat(template.getMetadata().getAnnotations()).isEmpty();
    assertThat(template.getMetadata().getLabels()).isEmpty();
    assertThat(template.getSpec().getVolumes()).isEmpty();
    Container app = template.getSpec().getContainers().get(0);
    assertThat(app.getName()).isEqualTo("app");
    assertThat(app.getImage()).isNull();
    assertThat(app.getVolumeMounts()).isEmpty();
    assertThat(app.getEnv())
        .isEqualTo(whole.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertThat(app.getResources().getLimits()).containsOnlyKeys("cpu", "memory");
    assertThat(app.getResources().getLimits().get("cpu").toString()).isEqualTo("1500m");
    assertThat(app.getLivenessProbe().getTimeoutSeconds()).isEqualTo(4);
    assertThat(app.getLivenessProbe().getHttpGet()).isNull();
  }

  @Test
  void theKeptCopySharesItsEmptiesAndCannotBeChanged() {
    Deployment kept = new PrunedWorkloadStore<>(kind()).prune(governed());
    Container app = kept.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(app.getArgs()).isSameAs(List.of());
    assertThat(app.getAdditionalProperties()).isSameAs(Map.of());
    assertThat(kept.getMetadata().getFinalizers()).isSameAs(List.of());
    assertThatThrownBy(() -> kept.getMetadata().getAnnotations().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> app.getEnv().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void repeatedNamesAndValuesAreOneStringAcrossWorkloads() {
    Deployment one = new PrunedWorkloadStore<>(kind()).prune(governed());
    Deployment two = new PrunedWorkloadStore<>(kind()).prune(governed());

    Container a = one.getSpec().getTemplate().getSpec().getContainers().get(0);
    Container b = two.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(a.getEnv().get(0).getValue()).isSameAs(b.getEnv().get(0).getValue());
    assertThat(one.getMetadata().getNamespace()).isSameAs(two.getMetadata().getNamespace());
    assertThat(one.getMetadata().getAnnotations().get(Annotations.JAVA_TUNING))
        .isSameAs(two.getMetadata().getAnnotations().get(Annotations.JAVA_TUNING));
  }

  @Test
  void equalVariablesResourcesAndProbesAreOneObjectAcrossWorkloads() {
    Container a = firstContainer(new PrunedWorkloadStore<>(kind()).prune(governed()));
    Container b = firstContainer(new PrunedWorkloadStore<>(kind()).prune(governed()));

    assertThat(a).isNotSameAs(b);
    assertThat(a.getEnv()).hasSize(2);
    for (int i = 0; i < a.getEnv().size(); i++) {
      assertThat(a.getEnv().get(i)).isSameAs(b.getEnv().get(i));
    }
    assertThat(a.getResources()).isSameAs(b.getResources());
    assertThat(a.getLivenessProbe()).isSameAs(b.getLivenessProbe());
  }

  @Test
  void aQuantityKeepsItsSpellingThoughAnEqualOneIsShared() {
    Deployment gibi = governed();
    Deployment mebi = governed();
    firstContainer(mebi).getResources().getLimits().put("memory", new Quantity("1024Mi"));
    firstContainer(mebi).getEnv().get(0).setValue("-Xss512k");

    Container a = firstContainer(new PrunedWorkloadStore<>(kind()).prune(gibi));
    Container b = firstContainer(new PrunedWorkloadStore<>(kind()).prune(mebi));

    assertThat(a.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(b.getResources().getLimits().get("memory").toString()).isEqualTo("1024Mi");
    assertThat(a.getResources()).isNotSameAs(b.getResources());
    assertThat(b.getEnv().get(0).getValue()).isEqualTo("-Xss512k");
    assertThat(a.getEnv().get(1)).isSameAs(b.getEnv().get(1));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void theObjectsAroundThePodTemplateShareTheirEmptiesToo(WorkloadKind<?> kind) {
    Deployment whole = governed();
    HasMetadata kept =
        keepingAll(kind.withTemplate(whole.getMetadata(), whole.getSpec().getTemplate()))
            .prune(kind.withTemplate(whole.getMetadata(), whole.getSpec().getTemplate()));

    List<Object> around = new ArrayList<>();
    collectAround(kept, around);
    assertThat(around).hasSizeGreaterThan(kind.kind().equals("Pod") ? 0 : 1);
    for (Object object : around) {
      assertThat(emptyCollections(object)).as(object.getClass().getSimpleName()).isEmpty();
    }
  }

  /** The model objects of {@code object} down to, not into, its metadata and pod template. */
  private static void collectAround(Object object, List<Object> around) {
    around.add(object);
    for (Class<?> c = object.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (java.lang.reflect.Field field : c.getDeclaredFields()) {
        Class<?> t = field.getType();
        if (io.fabric8.kubernetes.api.model.KubernetesResource.class.isAssignableFrom(t)
            && t != ObjectMeta.class
            && t != PodTemplateSpec.class
            && !java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          try {
            Object value = field.get(object);
            if (value != null) {
              collectAround(value, around);
            }
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
  }

  /** Fields of {@code object} that hold an empty collection of their own, not a shared one. */
  private static List<String> emptyCollections(Object object) {
    List<String> own = new ArrayList<>();
    for (Class<?> c = object.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (java.lang.reflect.Field field : c.getDeclaredFields()) {
        if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        try {
          Object value = field.get(object);
          if ((value instanceof List<?> l && l.isEmpty() && l != List.of())
              || (value instanceof Map<?, ?> m && m.isEmpty() && m != Map.of())) {
            own.add(field.getName());
          }
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return own;
  }

  private static Container firstContainer(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void anUngovernedWorkloadIsASkeletonThatStillNamesItsPolicy() {
    Deployment whole = governed();
    whole.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);
    // The record alone keeps a workload relevant: what it lists is to be given back.
    whole.getMetadata().getAnnotations().remove(Annotations.MANAGED_ENV);
    whole.getMetadata().getAnnotations().put(Annotations.POLICY, "services");

    Deployment kept = new PrunedWorkloadStore<>(kind()).prune(whole);

    assertThat(kept.getMetadata().getName()).isEqualTo("web");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getMetadata().getAnnotations()).containsOnlyKeys(Annotations.POLICY);
    assertThat(kept.getSpec()).isNull();
    assertThat(kept.getMetadata().getLabels()).isSameAs(Map.of());
  }

  @Test
  void theStoreFindsEachWorkloadByTheInformersKeyAcrossNamespaces() {
    PrunedWorkloadStore<Deployment> store = new PrunedWorkloadStore<>(kind());
    Deployment shop = governed();
    Deployment other = governed();
    other.getMetadata().setNamespace("other");
    Deployment second = governed();
    second.getMetadata().setName("api");

    assertThat(store.put(store.getKey(shop), shop)).isNull();
    assertThat(store.put(store.getKey(other), other)).isNull();
    assertThat(store.put(store.getKey(second), second)).isNull();

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.keySet()).containsExactlyInAnyOrder("shop/web", "other/web", "shop/api");
    assertThat(store.get("other/web").getMetadata().getNamespace()).isEqualTo("other");
    assertThat(store.get("shop/web").getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(store.get("nowhere/web")).isNull();
    // An update hands back the copy it replaces.
    assertThat(store.put("shop/web", governed()).getMetadata().getName()).isEqualTo("web");

    assertThat(store.remove("other/web").getMetadata().getNamespace()).isEqualTo("other");
    assertThat(store.remove("other/web")).isNull();
    assertThat(store.remove("nowhere/web")).isNull();
    assertThat(store.values().map(d -> d.getMetadata().getName()))
        .containsExactlyInAnyOrder("web", "api");
  }

  @Test
  void equalPodTemplateMetadataAndContainerResultsAreOneObjectAcrossWorkloads() {
    Deployment one = new PrunedWorkloadStore<>(kind()).prune(governed());
    Deployment two = new PrunedWorkloadStore<>(kind()).prune(governed());
    assertThat(one.getSpec().getTemplate().getMetadata())
        .isSameAs(two.getSpec().getTemplate().getMetadata());

    Deployment optedIn = governed();
    optedIn
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .put(Annotations.GO_TUNING, "enabled");
    Deployment three = new PrunedWorkloadStore<>(kind()).prune(optedIn);
    assertThat(three.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(Annotations.GO_TUNING, "enabled");
    assertThat(one.getSpec().getTemplate().getMetadata().getAnnotations()).isEmpty();
  }

  @Test
  void aPolicysSecondariesAreTheKeptWorkloadsOfItsNamespaceThatConcernIt() {
    PrunedWorkloadStore<Deployment> store = new PrunedWorkloadStore<>(kind());
    Deployment shop = governed();
    shop.getMetadata().getAnnotations().put(Annotations.POLICY, "tuning");
    Deployment elsewhere = governed();
    elsewhere.getMetadata().setNamespace("other");
    elsewhere.getMetadata().getAnnotations().put(Annotations.POLICY, "tuning");
    store.put(store.getKey(shop), shop);
    store.put(store.getKey(elsewhere), elsewhere);
    RuntimePolicy policy = new RuntimePolicy();
    policy.getMetadata().setName("tuning");
    policy.getMetadata().setNamespace("shop");

    var secondaries =
        PrunedInformer.secondariesIn(
            store,
            (w, p) ->
                Annotations.concernedPolicies(w.getMetadata().getAnnotations())
                    .contains(p.getMetadata().getName()));

    assertThat(secondaries.toSecondaryResourceIDs(policy))
        .containsExactly(
            new io.javaoperatorsdk.operator.processing.event.ResourceID("web", "shop"));
    policy.getMetadata().setName("another");
    assertThat(secondaries.toSecondaryResourceIDs(policy)).isEmpty();
  }

  @Test
  void aWorkloadWithoutAnyOfTheOperatorsAnnotationsIsNotKeptAndLeavingDropsIt() {
    PrunedWorkloadStore<Deployment> store = new PrunedWorkloadStore<>(kind());
    Deployment plain = governed();
    plain.getMetadata().setAnnotations(Map.of("team", "checkout"));

    assertThat(store.put("shop/web", plain)).isNull();
    assertThat(store.get("shop/web")).isNull();
    assertThat(store.size()).isZero();

    Deployment governed = governed();
    assertThat(store.put("shop/web", governed)).isNull();
    assertThat(store.get("shop/web")).isNotNull();
    // The informer hands the old copy to the update handlers: the mapper sees the workload leave.
    assertThat(store.put("shop/web", plain).getMetadata().getAnnotations())
        .containsKey(Annotations.JAVA_TUNING);
    assertThat(store.get("shop/web")).isNull();
  }

  @Test
  void aWorkloadWhosePodTemplateOptsInIsKeptAsAGovernedOne() {
    Deployment whole = governed();
    whole.getMetadata().setAnnotations(Map.of());
    whole
        .getSpec()
        .getTemplate()
        .getMetadata()
        .setAnnotations(Map.of(Annotations.JAVA_TUNING, "enabled"));

    Deployment kept = new PrunedWorkloadStore<>(kind(), w -> true).prune(whole);

    assertThat(kept.getMetadata().getUid()).isEqualTo("uid-1");
    assertThat(kept.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsOnlyKeys(Annotations.JAVA_TUNING);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyKindCarriesThePodTemplateItIsGivenOrNone(WorkloadKind<?> kind) {
    PodTemplateSpec template = governed().getSpec().getTemplate();
    ObjectMeta meta = governed().getMetadata();

    HasMetadata with = kind.withTemplate(meta, template);
    HasMetadata without = kind.withTemplate(meta, null);

    assertThat(kind.podTemplateOf(with)).isSameAs(template);
    assertThat(with.getMetadata()).isSameAs(meta);
    assertThat(kind.podTemplateOf(without)).isNull();
    assertThat(with.getKind()).isEqualTo(kind.kind());
    assertThat(with.getApiVersion()).isEqualTo(kind.apiVersion());
  }

  static Stream<WorkloadKind<?>> kinds() {
    return WorkloadKinds.all().stream();
  }

  private static Deployment governed() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace(new String("shop"))
        .withUid("uid-1")
        .withResourceVersion("42")
        .withGeneration(3L)
        .withCreationTimestamp("2026-12-03T00:00:00Z")
        .withLabels(Map.of("app", "web"))
        .addToAnnotations(Annotations.JAVA_TUNING, new String("enabled"))
        .addToAnnotations(Annotations.MANAGED_ENV, "{\"app\":{}}")
        .addToAnnotations(PrunedWorkloadStoreTest.LAST_APPLIED, "{\"big\":true}")
        .withManagedFields(new ManagedFieldsEntry())
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .addToAnnotations("prometheus.io/scrape", "true")
        .endMetadata()
        .withNewSpec()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewContainer()
        .withName("app")
        .withImage("eclipse-temurin:21-jre")
        .addToEnv(
            new EnvVarBuilder()
                .withName("JAVA_TOOL_OPTIONS")
                .withValue(new String("-Xss512k -XX:ActiveProcessorCount=2"))
                .build())
        .addToEnv(
            new EnvVarBuilder()
                .withName("POD_IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.podIP")
                .endFieldRef()
                .endValueFrom()
                .build())
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .withNewResources()
        .addToLimits("cpu", new Quantity("1500m"))
        .addToLimits("memory", new Quantity("1Gi"))
        .endResources()
        .withNewLivenessProbe()
        .withTimeoutSeconds(4)
        .withNewHttpGet()
        .withPath("/health")
        .withNewPort(8080)
        .endHttpGet()
        .endLivenessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withStatus(new DeploymentStatusBuilder().withReplicas(3).build())
        .build();
  }

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @SuppressWarnings("unchecked")
  private static WorkloadKind<Deployment> kind() {
    return (WorkloadKind<Deployment>) WorkloadKinds.of(new Deployment()).orElseThrow();
  }

  /** A store that keeps every workload as a governed one, whatever its annotations. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T extends HasMetadata> PrunedWorkloadStore<T> keepingAll(T workload) {
    WorkloadKind kind = WorkloadKinds.of(workload).orElseThrow();
    return new PrunedWorkloadStore<T>(kind, w -> true);
  }

  private static <T> List<T> examples(Class<T> type) throws IOException {
    List<T> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.sorted().toList()) {
        for (String document : Files.readString(file).split("(?m)^---$")) {
          String kind = type.getSimpleName();
          if (document.contains("\nkind: " + kind + "\n") || document.startsWith("kind: " + kind)) {
            found.add(Serialization.unmarshal(document, type));
          }
        }
      }
    }
    return found;
  }
}
