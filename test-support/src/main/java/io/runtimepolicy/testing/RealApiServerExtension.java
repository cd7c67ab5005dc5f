package io.runtimepolicy.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * kube-api-test's own JUnit extension takes offline mode only from KUBE_API_TEST_OFFLINE_MODE, and
 * 7.5.2 fails on it (it casts the variable's String to Boolean). Offline mode is the rule here, so
 * this extension sets it through the config builder instead.
 */
public final class RealApiServerExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RealApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    WithRealApiServer settings = testClass.getAnnotation(WithRealApiServer.class);
    KubeAPIServer server = new KubeAPIServer(config(settings));
    server.start();
    String kubeConfig = server.getKubeConfigYaml();
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfig)).build();
    context.getStore(NS).put("server", server);
    context.getStore(NS).put("client", client);
    for (Field field : staticFields(testClass)) {
      field.setAccessible(true);
      if (field.getType() == KubernetesClient.class) {
        field.set(null, client);
      } else if (field.isAnnotationPresent(KubeConfigYaml.class)) {
        field.set(null, kubeConfig);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    KubernetesClient client = context.getStore(NS).remove("client", KubernetesClient.class);
    if (client != null) {
      client.close();
    }
    KubeAPIServer server = context.getStore(NS).remove("server", KubeAPIServer.class);
    if (server != null) {
      server.stop();
    }
  }

  static io.fabric8.kubeapitest.KubeAPIServerConfig config(WithRealApiServer settings) {
    return ControlPlane.apiServerConfig(
        settings == null ? List.of() : List.of(settings.apiServerFlags()));
  }

  private static List<Field> staticFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          fields.add(f);
        }
      }
    }
    return fields;
  }
}
