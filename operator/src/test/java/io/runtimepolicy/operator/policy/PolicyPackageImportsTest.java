package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policy package stays pure: no Kubernetes client, no JOSDK, no logging, no clock, no I/O. A
 * source scan, so a forbidden dependency fails the build even if nothing calls it yet.
 */
class PolicyPackageImportsTest {

  private static final Path POLICY_SOURCES =
      Path.of("src/main/java/io/runtimepolicy/operator/policy");

  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "\\b(io\\.fabric8\\.kubernetes\\.client\\.|io\\.javaoperatorsdk\\.|org\\.slf4j\\."
              + "|java\\.util\\.logging\\.|java\\.io\\.File|java\\.nio\\.file\\.|java\\.net\\."
              + "|java\\.time\\.Clock|System\\.(out|err|getenv|currentTimeMillis|nanoTime)"
              + "|\\.now\\()");

  // Comments may name what is forbidden (as this package's own Javadoc does).
  private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

  @Test
  void policySourcesUseNoForbiddenApi() throws IOException {
    List<Path> sources = sources();
    assertThat(sources)
        .as("policy sources found from %s", Path.of("").toAbsolutePath())
        .hasSizeGreaterThan(10);
    List<String> violations = new ArrayList<>();
    for (Path source : sources) {
      violations.addAll(forbiddenUses(source.getFileName().toString(), Files.readString(source)));
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theScanCatchesImportsAndQualifiedNames() {
    String source =
        "package x;\n"
            + "import io.fabric8.kubernetes.client.KubernetesClient;\n"
            + "import static io.javaoperatorsdk.operator.api.Foo.bar;\n"
            + "import io.fabric8.kubernetes.api.model.Container; // io.javaoperatorsdk. is ok\n"
            + "class X { org.slf4j.Logger log; Object t = java.time.Instant.now(); }\n";
    assertThat(forbiddenUses("X.java", source))
        .containsExactly(
            "X.java: io.fabric8.kubernetes.client.",
            "X.java: io.javaoperatorsdk.",
            "X.java: org.slf4j.",
            "X.java: .now(");
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(POLICY_SOURCES)) {
      return files.filter(path -> path.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static List<String> forbiddenUses(String file, String source) {
    List<String> uses = new ArrayList<>();
    Matcher matcher = FORBIDDEN.matcher(COMMENTS.matcher(source).replaceAll(" "));
    while (matcher.find()) {
      uses.add(file + ": " + matcher.group());
    }
    return uses;
  }
}
