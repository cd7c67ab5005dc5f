package io.runtimepolicy.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.testing.PromText;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * An IT class against the real API server (annotate it {@code @WithRealApiServer}, which injects
 * {@link #client}) with the CRD installed and the operator running in-process, its webhook
 * registered: call {@link #startOperator} from the class's {@code @BeforeAll}.
 */
public abstract class WithOperator {

  protected static KubernetesClient client;
  protected static RunningOperator operator;

  /** Installs the CRD and starts the operator with {@code env} (more RUNTIMEPOLICY_* settings). */
  protected static void startOperator(Map<String, String> env) throws Exception {
    TestPolicies.installCrd(client);
    operator = InProcessOperator.start(client, env);
  }

  /** Creates namespace {@code name}; returns it. */
  protected static String namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  /** The operator's workload writes so far, from its metrics. */
  protected static double operatorWrites() {
    return PromText.scrape(operator.healthPort()).sum("runtimepolicy_deployments_patched_total");
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }
}
