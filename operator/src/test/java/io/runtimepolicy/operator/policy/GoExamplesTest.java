package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Go examples do what their comments say, under the policy they name. */
class GoExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "examples");

  @Test
  void theGoServiceGetsGomaxprocsOneAndGomemlimit460MiB() throws IOException {
    List<HasMetadata> objects = load("80-go-service.yaml");
    PolicySettings services = PolicySettings.from(((RuntimePolicy) objects.get(0)).getSpec());

    assertThat(plan(services, (Deployment) objects.get(1)).evaluation().desiredEnv())
        .containsExactly(Map.entry("gateway", Map.of("GOMAXPROCS", "1", "GOMEMLIMIT", "460MiB")));
  }

  @Test
  void theJvmAppAndItsGoSidecarEachGetTheirOwnRuntimesValues() throws IOException {
    PolicySettings services =
        PolicySettings.from(((RuntimePolicy) load("80-go-service.yaml").get(0)).getSpec());
    Deployment storefront = (Deployment) load("90-jvm-with-go-sidecar.yaml").get(0);

    assertThat(plan(services, storefront).evaluation().desiredEnv())
        .containsExactly(
            Map.entry("app", Map.of("JAVA_TOOL_OPTIONS", "-Xss512k -XX:ActiveProcessorCount=2")),
            Map.entry("proxy", Map.of("GOMAXPROCS", "1", "GOMEMLIMIT", "230MiB")));
  }

  private static TuningPlan plan(PolicySettings settings, Deployment deployment) {
    return Tuning.plan(
        settings,
        "services",
        deployment.getMetadata().getAnnotations(),
        deployment.getSpec().getTemplate().getSpec());
  }

  private static List<HasMetadata> load(String file) throws IOException {
    String yaml = Files.readString(EXAMPLES.resolve(file));
    List<HasMetadata> objects = new java.util.ArrayList<>();
    for (String document : yaml.split("(?m)^---$")) {
      Class<? extends HasMetadata> type =
          document.contains("kind: RuntimePolicy") ? RuntimePolicy.class : Deployment.class;
      objects.add(Serialization.unmarshal(document, type));
    }
    return objects;
  }
}
