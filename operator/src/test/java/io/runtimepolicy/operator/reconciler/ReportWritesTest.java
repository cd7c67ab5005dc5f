package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.reports.Report;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Report as written: the policy owns it (so it is collected with it), the label marks it. */
class ReportWritesTest {

  @Test
  void thePolicyOwnsItsReportWhichCarriesTheOperatorsLabel() {
    RuntimePolicy policy = new RuntimePolicy();
    policy.getMetadata().setName("p");
    policy.getMetadata().setNamespace("shop");
    policy.getMetadata().setUid("uid-1");
    WorkloadOutcome workload =
        new WorkloadOutcome(
            "StatefulSet",
            "db",
            WorkloadState.Pending,
            false,
            List.of(),
            List.of(),
            null,
            WorkloadState.Pending,
            false);

    Report report = ReportWrites.desired(policy, List.of(workload), 10);

    assertThat(report.getMetadata().getName()).isEqualTo("p");
    assertThat(report.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(report.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "runtime-policy-operator");
    assertThat(report.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getApiVersion()).isEqualTo("runtimepolicy.io/v1alpha1");
              assertThat(o.getKind()).isEqualTo("RuntimePolicy");
              assertThat(o.getName()).isEqualTo("p");
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(report.getResults())
        .first()
        .satisfies(
            r -> {
              assertThat(r.result()).isEqualTo("warn");
              assertThat(r.resources().get(0).getApiVersion()).isEqualTo("apps/v1");
            });
  }
}
