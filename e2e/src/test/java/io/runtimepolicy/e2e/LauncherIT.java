package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runtime-policy} as a user runs it, on real files, against the packaged jar: each exit
 * code the docs promise, {@code fix} changing only the managed line, and the image's entrypoint
 * (the jar's main class on the jlink runtime) serving the same commands.
 */
class LauncherIT {

  private static final Path LAUNCHER = ProjectFiles.root().resolve("bin/runtime-policy");
  private static final Path JAR =
      ProjectFiles.root().resolve("operator/target/runtime-policy-operator.jar");
  private static final Path JRE_JAVA = ProjectFiles.root().resolve("operator/target/jre/bin/java");

  private static final String DEPLOYMENT =
      """
      # the team's API; keep this comment
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        annotations:
          runtimepolicy.io/java-tuning: "enabled"
      spec:
        selector: {matchLabels: {app: api}}
        template:
          metadata: {labels: {app: api}}
          spec:
            containers:
              - name: app
                image: registry.example/api:1
                resources: {limits: {cpu: "2"}}
                env:
                  - name: JAVA_TOOL_OPTIONS
                    value: "-Xss512k"
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  timeoutSeconds: %d
      """;

  @TempDir Path dir;

  private record Run(int exit, String stdout, String stderr) {}

  @Test
  void exitCodesAreThoseTheDocsPromise() throws Exception {
    Path drift = write("drift.yaml", DEPLOYMENT.formatted(1));
    Path violating = write("violating.yaml", DEPLOYMENT.formatted(10));
    Path malformed = write("malformed.yaml", "apiVersion: v1\nkind: [oops\n");
    Path plain = write("plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");

    assertThat(launch("check", "-f", plain.toString()).exit()).isZero();
    Run onlyDrift = launch("check", "-f", drift.toString());
    assertThat(onlyDrift.exit()).as("%s", onlyDrift).isZero();
    assertThat(onlyDrift.stdout()).contains("-XX:ActiveProcessorCount=2");
    assertThat(launch("check", "-f", drift.toString(), "--warn-exit-code", "3").exit())
        .isEqualTo(3);
    Run violation = launch("check", "-f", violating.toString());
    assertThat(violation.exit()).as("%s", violation).isEqualTo(1);
    assertThat(violation.stdout()).contains("LivenessTimeoutTooLong");
    Run unreadable = launch("check", "-f", malformed.toString());
    assertThat(unreadable.exit()).isEqualTo(2);
    assertThat(unreadable.stderr()).contains(malformed + ":3:");
    assertThat(launch("check", "-f", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(2);
    assertThat(launch("check").exit()).as("no input is bad usage").isEqualTo(2);
  }

  @Test
  void fixRewritesOnlyTheManagedLine() throws Exception {
    String before = DEPLOYMENT.formatted(1);
    Path file = write("api.yaml", before);

    Run fix = launch("fix", "-f", file.toString());

    assertThat(fix.exit()).as("%s", fix).isZero();
    List<String> changed = changedLines(before, Files.readString(file));
    assertThat(changed)
        .containsExactly("              value: \"-Xss512k -XX:ActiveProcessorCount=2\"");
    assertThat(launch("check", "-f", file.toString(), "--warn-exit-code", "3").exit())
        .as("nothing left to change")
        .isZero();
  }

  @Test
  void withoutTheJarTheLauncherSaysWhatToBuild() throws Exception {
    Run run =
        run(
            List.of("bash", LAUNCHER.toString(), "check", "-f", "-"),
            Map.of("RUNTIME_POLICY_JAR", dir.resolve("none.jar").toString()));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("make build");
  }

  @Test
  void theImagesEntrypointServesCheckOnItsOwnRuntime() throws Exception {
    assumeTrue(
        Files.isExecutable(JRE_JAVA), "run hack/jlink.sh first to build operator/target/jre");
    Path violating = write("violating.yaml", DEPLOYMENT.formatted(10));

    Run run =
        run(
            List.of(
                JRE_JAVA.toString(), "-jar", JAR.toString(), "check", "-f", violating.toString()),
            Map.of());

    assertThat(run.exit()).as("%s", run).isEqualTo(1);
    assertThat(run.stdout()).contains("LivenessTimeoutTooLong");
  }

  private Run launch(String... args) throws Exception {
    assumeTrue(Files.exists(JAR), "package the operator first (mvn -pl e2e -am verify does)");
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  private Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    Process process = builder.redirectInput(ProcessBuilder.Redirect.from(devNull())).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Run(
        process.exitValue(),
        Files.readString(dir.resolve("out")),
        Files.readString(dir.resolve("err")));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }

  private static List<String> changedLines(String before, String after) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    assertThat(b).as("same number of lines").hasSameSizeAs(a);
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        changed.add(b.get(i));
      }
    }
    return changed;
  }
}
