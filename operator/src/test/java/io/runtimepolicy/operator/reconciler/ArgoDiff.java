package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * Argo CD's own diff: {@code argodiff/main.go.txt}, a few lines over gitops-engine's {@code
 * pkg/diff} at the version Argo CD v3.3.0's go.mod requires (Argo CD builds its in-repo copy of
 * it), built by {@link GoProgram}.
 */
final class ArgoDiff {

  /** {@code modified}: Argo CD would show the application OutOfSync. */
  record Result(boolean modified, String output) {}

  private ArgoDiff() {}

  /** The default (legacy three-way) diff of the desired manifest and the live object (JSON). */
  static Result diff(Path desired, Path live) throws Exception {
    return result(GoProgram.of("argodiff").run(desired.toString(), live.toString()));
  }

  /**
   * The server-side diff ({@code ServerSideDiff=true}): a server-side apply dry-run of {@code
   * desired} as Argo CD's {@code argocd-controller}, against the cluster of {@code kubeconfig}.
   */
  static Result serverSide(Path kubeconfig, Path desired, Path live) throws Exception {
    return result(
        GoProgram.of("argodiff")
            .run("server-side", kubeconfig.toString(), desired.toString(), live.toString()));
  }

  private static Result result(GoProgram.Run run) {
    assertThat(run.exitCode()).as(run.output()).isIn(0, 1);
    return new Result(run.exitCode() == 1, run.output());
  }
}
