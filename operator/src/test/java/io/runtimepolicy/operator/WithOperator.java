package io.runtimepolicy.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
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

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }
}
