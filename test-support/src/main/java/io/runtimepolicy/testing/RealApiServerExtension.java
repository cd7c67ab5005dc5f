package io.runtimepolicy.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
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
    String kubeConfig;
    KubeAPIServer server = null;
    if (settings != null && settings.cluster() == Cluster.FULL) {
      kubeConfig = startFullCluster(context, testClass, settings);
    } else {
      server = new KubeAPIServer(config(settings));
      context.getStore(NS).put("server", (AutoCloseable) server::stop);
      server.start();
      kubeConfig = server.getKubeConfigYaml();
    }
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfig)).build();
    context.getStore(NS).put("client", client);
    for (Field field : staticFields(testClass)) {
      field.setAccessible(true);
      if (field.getType() == KubernetesClient.class) {
        field.set(null, client);
      } else if (field.isAnnotationPresent(KubeConfigYaml.class)) {
        field.set(null, kubeConfig);
      } else if (field.getType() == KubeAPIServer.class && server != null) {
        field.set(null, server);
      }
    }
  }

  // Registered before start, so afterAll stops whatever did start even when start-up fails.
  private static String startFullCluster(
      ExtensionContext context, Class<?> testClass, WithRealApiServer settings) {
    FullCluster cluster =
        new FullCluster(
            Path.of("target", "full-cluster", testClass.getSimpleName()),
            List.of(settings.apiServerFlags()));
    context.getStore(NS).put("server", cluster);
    cluster.start();
    System.out.printf(
        "Full cluster for %s: API server ready after %d ms, %d nodes Ready after %d ms; logs in %s%n",
        testClass.getSimpleName(),
        cluster.apiServerStartupTime().toMillis(),
        FullCluster.NODES,
        cluster.startupTime().toMillis(),
        cluster.workDir());
    return cluster.getKubeConfigYaml();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    KubernetesClient client = context.getStore(NS).remove("client", KubernetesClient.class);
    if (client != null) {
      client.close();
    }
    AutoCloseable server = context.getStore(NS).remove("server", AutoCloseable.class);
    if (server != null) {
      server.close();
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
