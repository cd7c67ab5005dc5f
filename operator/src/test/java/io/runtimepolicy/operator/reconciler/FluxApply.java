package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flux's own apply: {@code fluxssa/main.go.txt} over {@code github.com/fluxcd/pkg/ssa}'s {@code
 * ResourceManager.ApplyAllStaged}, with kustomize-controller's field manager, built by {@link
 * GoProgram}. v0.78.0 is the newest that builds with the machine's Go (1.26; later ones need 1.27).
 */
final class FluxApply {

  private FluxApply() {}

  /** Applies the manifest; {@code Kind/namespace/name} to its action (created, configured, ...). */
  static Map<String, String> apply(Path kubeconfig, Path manifest) throws Exception {
    GoProgram.Run run = GoProgram.of("fluxssa").run(kubeconfig.toString(), manifest.toString());
    assertThat(run.exitCode()).as(run.output()).isZero();
    Map<String, String> actions = new LinkedHashMap<>();
    for (String line : run.stdout().strip().split("\n")) {
      int space = line.lastIndexOf(' ');
      actions.put(line.substring(0, space), line.substring(space + 1));
    }
    return actions;
  }
}
