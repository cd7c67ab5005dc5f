package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.testing.Cli;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The chart rendered by `helm template` for release runtime-policy in namespace runtime-policy. */
record Rendered(List<HasMetadata> objects) {

  static final String NAMESPACE = "runtime-policy";

  static Rendered chart(Cli cli, String... helmArgs) {
    List<String> args = new ArrayList<>(List.of("template", "runtime-policy"));
    args.add(ProjectFiles.chart().toString());
    args.addAll(List.of("-n", NAMESPACE));
    args.addAll(List.of(helmArgs));
    Cli.Result rendered = cli.helm(args.toArray(String[]::new));
    assertThat(rendered.ok()).as("%s", rendered).isTrue();
    return new Rendered(Manifests.parse(rendered.stdout()));
  }

  <T extends HasMetadata> T only(Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("rendered %s", type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  Container operator() {
    return only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The operator container's environment; a variable set from a field reference maps to "". */
  Map<String, String> env() {
    return operator().getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }

  /** The workloads' webhook. */
  MutatingWebhook webhook() {
    return webhook("workloads.runtimepolicy.io");
  }

  MutatingWebhook webhook(String name) {
    List<MutatingWebhook> webhooks = only(MutatingWebhookConfiguration.class).getWebhooks();
    return webhooks.stream()
        .filter(w -> w.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no webhook " + name + " in " + webhooks));
  }
}
