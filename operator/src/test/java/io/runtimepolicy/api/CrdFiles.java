package io.runtimepolicy.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.awaitility.Awaitility;

/** The CRD exactly as this build generated it, and a way to install it on a test API server. */
final class CrdFiles {

  static final String NAME = "runtimepolicies.runtimepolicy.io";

  private CrdFiles() {}

  static CustomResourceDefinition generated() {
    try (InputStream in =
        CrdFiles.class.getResourceAsStream("/META-INF/fabric8/" + NAME + "-v1.yml")) {
      if (in == null) {
        throw new IllegalStateException(
            "generated CRD not on the classpath: build the operator module");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void applyAndAwaitEstablished(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().resource(generated()).serverSideApply();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                isEstablished(
                    client.apiextensions().v1().customResourceDefinitions().withName(NAME).get()));
  }

  private static boolean isEstablished(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
