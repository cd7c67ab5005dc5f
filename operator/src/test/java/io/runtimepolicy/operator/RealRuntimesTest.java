package io.runtimepolicy.operator;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.api.v1alpha1.ContainerResult;
import org.junit.jupiter.api.Test;

/** The checker itself: it passes on the truth and fails on a status the runtime does not see. */
class RealRuntimesTest {

  @Test
  void aGoProgramSeesTheEnvAndALieIsCaught() {
    Container proxy = container("GOMAXPROCS", "3", "GOMEMLIMIT", "460MiB");

    assertThatCode(() -> RealRuntimes.assertGo("proxy", proxy, go(3, "460MiB")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> RealRuntimes.assertGo("proxy", proxy, go(2, "460MiB")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("runtime.GOMAXPROCS(0)");
    assertThatThrownBy(() -> RealRuntimes.assertGo("proxy", proxy, go(3, "461MiB")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("debug.SetMemoryLimit(-1)");
  }

  @Test
  void aJvmSeesTheOptionsAndTheMemoryLimitAndALieIsCaught() {
    Container app =
        new ContainerBuilder(
                container(
                    "JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=3 -XX:MaxRAMPercentage=50.0"))
            .withNewResources()
            .addToLimits("memory", new Quantity("1Gi"))
            .endResources()
            .build();

    assertThatCode(() -> RealRuntimes.assertJava("app", app, java(3))).doesNotThrowAnyException();
    assertThatThrownBy(() -> RealRuntimes.assertJava("app", app, java(2)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("availableProcessors()");
  }

  private static Container container(String... env) {
    ContainerBuilder builder = new ContainerBuilder().withName("c");
    for (int i = 0; i < env.length; i += 2) {
      builder.addNewEnv().withName(env[i]).withValue(env[i + 1]).endEnv();
    }
    return builder.build();
  }

  private static ContainerResult go(int gomaxprocs, String gomemlimit) {
    ContainerResult result = new ContainerResult();
    result.setRuntime("Go");
    result.setGomaxprocs(gomaxprocs);
    result.setGomemlimit(gomemlimit);
    return result;
  }

  private static ContainerResult java(int processors) {
    ContainerResult result = new ContainerResult();
    result.setRuntime("Java");
    result.setActiveProcessorCount(processors);
    return result;
  }
}
