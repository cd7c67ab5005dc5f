package io.runtimepolicy.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

@Group("runtimepolicy.io")
@Version("v1alpha1")
@ShortNames("rtp")
@AdditionalPrinterColumn(name = "MODE", jsonPath = ".spec.mode")
@AdditionalPrinterColumn(
    name = "TARGETS",
    jsonPath = ".status.targets",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "TUNED",
    jsonPath = ".status.tuned",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "VIOLATIONS",
    jsonPath = ".status.violations",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
/**
 * Makes the runtimes of annotated workloads in its namespace see the CPU Kubernetes gives them, and
 * checks probe timing against the app read timeout.
 */
public class RuntimePolicy extends CustomResource<RuntimePolicySpec, RuntimePolicyStatus>
    implements Namespaced {

  public static final String DESCRIPTION =
      "RuntimePolicy makes the runtimes of annotated workloads in its namespace see the CPU"
          + " Kubernetes gives them, and checks liveness probe timing against the app read timeout.";
  public static final String SPEC_DESCRIPTION =
      "How workloads annotated runtimepolicy.io/java-tuning or runtimepolicy.io/go-tuning:"
          + " \"enabled\" that name this policy are tuned and checked.";
  public static final String STATUS_DESCRIPTION =
      "What the operator observed and did, per governed workload, with exact counts.";

  @Override
  protected RuntimePolicySpec initSpec() {
    return new RuntimePolicySpec();
  }
}
