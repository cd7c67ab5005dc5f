package io.runtimepolicy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.testing.WithRealApiServer;
import org.junit.jupiter.api.Test;

/** Without the CRD the operator refuses to start with one line that says what to run. */
@WithRealApiServer
class StartupCheckIT {

  static KubernetesClient client;

  @Test
  void aMissingCrdIsReportedWithTheCommandThatInstallsIt() {
    assertThat(StartupCheck.problem(client))
        .isEqualTo(
            "the RuntimePolicy CRD is not installed: kubectl apply --server-side -f helm/runtime-policy-operator/crds/");
  }
}
