package io.runtimepolicy.operator.check;

import static io.runtimepolicy.operator.check.Manifests.CONFIG_MAP;
import static io.runtimepolicy.operator.check.Manifests.DAEMON_SET;
import static io.runtimepolicy.operator.check.Manifests.DEPLOYMENT;
import static io.runtimepolicy.operator.check.Manifests.JOB;
import static io.runtimepolicy.operator.check.Manifests.STATEFUL_SET;
import static io.runtimepolicy.operator.check.Manifests.stream;
import static io.runtimepolicy.operator.check.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runtime-policy fix}: the fixed file differs from the original only in env lines, passes
 * {@code check}, and a second fix changes nothing.
 */
class FixCommandTest {

  @TempDir Path dir;

  @Test
  void onlyEnvLinesChangeAndTheFixedFileChecksClean() throws Exception {
    String original = stream(DEPLOYMENT, CONFIG_MAP, STATEFUL_SET, DAEMON_SET, JOB);
    Path file = write(dir, "apps.yaml", original);

    CheckRun fix = CheckRun.run("fix", "-f", file.toString());

    assertThat(fix.err()).isEmpty();
    assertThat(fix.exit()).isZero();
    String fixed = Files.readString(file);
    Diff diff = Diff.of(original, fixed);
    assertThat(diff.removed())
        .containsExactly(
            "              value: '-Xss512k -XX:ActiveProcessorCount=16'",
            "        - {name: GOMAXPROCS, value: \"64\"}");
    assertThat(diff.added())
        .containsExactly(
            "              value: '-Xss512k -XX:ActiveProcessorCount=2'",
            "        env:",
            "        - name: JAVA_TOOL_OPTIONS",
            "          value: \"-XX:ActiveProcessorCount=2\"",
            "        - {name: GOMAXPROCS, value: \"1\"}",
            "        - {name: GOMEMLIMIT, value: \"230MiB\"}");
    assertThat(fixed).contains("# checkout service", "value: info  # plain", "# sidecars follow");
    CheckRun check = CheckRun.run("check", "-f", file.toString(), "--warn-exit-code", "3");
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(CheckRun.run("fix", "-f", file.toString()).exit()).isZero();
    assertThat(Files.readString(file)).isEqualTo(fixed);
  }

  @Test
  void theNewEnvGoesAfterTheContainersLastFieldAtItsIndentation() throws Exception {
    Path file = write(dir, "sts.yaml", STATEFUL_SET);

    CheckRun.run("fix", "-f", file.toString());

    assertThat(Files.readString(file))
        .contains(
            String.join(
                "\n",
                "            cpu: 1500m",
                "        env:",
                "        - name: JAVA_TOOL_OPTIONS",
                "          value: \"-XX:ActiveProcessorCount=2\"",
                "      # sidecars follow"));
  }

  @Test
  void emptyAndFlowEnvListsAndWindowsLineEndsKeepTheirForm() throws Exception {
    String resources = "        resources:\n";
    String empty = STATEFUL_SET.replace(resources, "        env: []\n" + resources);
    String flow =
        STATEFUL_SET.replace(resources, "        env: [{name: A, value: b}]\n" + resources);
    Path emptyFile = write(dir, "empty.yaml", empty);
    Path flowFile = write(dir, "flow.yaml", flow);
    Path crlfFile = write(dir, "crlf.yaml", STATEFUL_SET.replace("\n", "\r\n"));

    CheckRun.run(
        "fix", "-f", emptyFile.toString(), "-f", flowFile.toString(), "-f", crlfFile.toString());

    assertThat(Files.readString(emptyFile))
        .contains(
            "        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: \"-XX:ActiveProcessorCount=2\"\n"
                + resources);
    assertThat(Files.readString(flowFile))
        .contains(
            "        env: [{name: A, value: b}, {name: JAVA_TOOL_OPTIONS, value: \"-XX:ActiveProcessorCount=2\"}]\n");
    String crlf = Files.readString(crlfFile);
    assertThat(crlf.replace("\r\n", "")).doesNotContain("\n");
    assertThat(crlf).contains("\r\n        env:\r\n        - name: JAVA_TOOL_OPTIONS\r\n");
    for (Path f : List.of(emptyFile, flowFile, crlfFile)) {
      assertThat(CheckRun.run("check", "-f", f.toString(), "--warn-exit-code", "3").exit())
          .isZero();
    }
  }

  @Test
  void blockEmptyNullAndNamelessEntriesAreFixedInTheirOwnLines() throws Exception {
    String original = Files.readString(Path.of("src/test/resources/check/awkward-env.yaml"));
    Path file = write(dir, "awkward.yaml", original);

    CheckRun fix = CheckRun.run("fix", "-f", file.toString());

    assertThat(fix.exit()).as(fix.err()).isZero();
    Diff diff = Diff.of(original, Files.readString(file));
    assertThat(diff.removed())
        .containsExactly(
            "              value: |",
            "                -Xss1m",
            "              value:",
            "          env: null   # keep me");
    assertThat(diff.added())
        .containsExactly(
            "              value: \"-Xss1m -XX:ActiveProcessorCount=2\\n\"",
            "              value: \"-XX:ActiveProcessorCount=3\"",
            "            - name: JAVA_TOOL_OPTIONS",
            "              value: \"-XX:ActiveProcessorCount=4\"",
            "          env:   # keep me",
            "            - name: JAVA_TOOL_OPTIONS",
            "              value: \"-XX:ActiveProcessorCount=5\"",
            "            value: \"-XX:ActiveProcessorCount=6\"");
    assertThat(CheckRun.run("check", "-f", file.toString(), "--warn-exit-code", "3").exit())
        .isZero();
  }

  @Test
  void unreadableInputWritesNothingAtAll() throws Exception {
    Path good = write(dir, "a-good.yaml", STATEFUL_SET);
    Path bad =
        write(dir, "b-bad.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x\n");

    CheckRun fix = CheckRun.run("fix", "-f", dir.toString());

    assertThat(fix.exit()).isEqualTo(2);
    assertThat(fix.err()).contains(bad + ":").contains("nothing written");
    assertThat(Files.readString(good)).isEqualTo(STATEFUL_SET);
  }

  @Test
  void standardInputIsFixedToStandardOutput() {
    CheckRun fix = CheckRun.withStdin(STATEFUL_SET, "fix", "-f", "-");

    assertThat(fix.exit()).isZero();
    assertThat(Diff.of(STATEFUL_SET, fix.out()).removed()).isEmpty();
    assertThat(Diff.of(STATEFUL_SET, fix.out()).added()).hasSize(3);
    assertThat(fix.err())
        .contains("JAVA_TOOL_OPTIONS set to \"-XX:ActiveProcessorCount=2\" (was unset)");
  }

  /** A line diff by longest common subsequence: enough for files of a few hundred lines. */
  record Diff(List<String> removed, List<String> added) {
    static Diff of(String before, String after) {
      List<String> a = before.lines().toList();
      List<String> b = after.lines().toList();
      int[][] lcs = new int[a.size() + 1][b.size() + 1];
      for (int i = a.size() - 1; i >= 0; i--) {
        for (int j = b.size() - 1; j >= 0; j--) {
          lcs[i][j] =
              a.get(i).equals(b.get(j))
                  ? lcs[i + 1][j + 1] + 1
                  : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
      }
      List<String> removed = new ArrayList<>();
      List<String> added = new ArrayList<>();
      int i = 0;
      int j = 0;
      while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
          i++;
          j++;
        } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
          added.add(b.get(j++));
        } else {
          removed.add(a.get(i++));
        }
      }
      return new Diff(removed, added);
    }
  }
}
