package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo CD's comparison under an application's {@code spec.ignoreDifferences}: {@code
 * argoignore/main.go.txt} over Argo CD v3.3.0's own {@code util/argo/diff.StateDiff} and its
 * normalizers ({@code jqPathExpressions}, {@code jsonPointers}), the default legacy diff, built by
 * {@link GoProgram}. The ignore rules are read from docs/gitops.md, so the test holds the docs.
 */
final class ArgoIgnore {

  private static final Pattern YAML_BLOCK =
      Pattern.compile("```yaml\\n(spec:\\n  ignoreDifferences:.*?)```", Pattern.DOTALL);

  private ArgoIgnore() {}

  /** The {@code spec.ignoreDifferences} docs/gitops.md tells legacy-diff users to set, as JSON. */
  static Path documentedRules(Path dir) throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "gitops.md"));
    Matcher block = YAML_BLOCK.matcher(docs);
    assertThat(block.find()).as("an ignoreDifferences block in docs/gitops.md").isTrue();
    Map<?, ?> spec = (Map<?, ?>) Serialization.unmarshal(block.group(1), Map.class).get("spec");
    return rules(dir, Serialization.asJson(spec.get("ignoreDifferences")));
  }

  /** {@code json}, a list of ignore rules, in a file. */
  static Path rules(Path dir, String json) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "ignore", ".json"), json);
  }

  /** {@code modified}: Argo CD would show the application OutOfSync despite the rules. */
  static ArgoDiff.Result diff(Path rules, Path desired, Path live) throws Exception {
    GoProgram.Run run =
        GoProgram.of("argoignore").run(rules.toString(), desired.toString(), live.toString());
    assertThat(run.exitCode()).as(run.output()).isIn(0, 1);
    return new ArgoDiff.Result(run.exitCode() == 1, run.output());
  }
}
