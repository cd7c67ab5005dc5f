package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The trimmed runtime hack/jlink.sh builds (the image's runtime) starts and holds what TLS needs.
 */
class JlinkRuntimeIT {

  private static final Path JAVA = ProjectFiles.root().resolve("operator/target/jre/bin/java");

  @Test
  void runtimeStartsAndHasTheModulesTlsAndDnsNeed() throws Exception {
    assumeTrue(Files.isExecutable(JAVA), "run hack/jlink.sh first to build operator/target/jre");

    assertThat(run("-version")).contains("version \"17");
    assertThat(run("--list-modules").lines().map(l -> l.replaceFirst("@.*", "")).toList())
        .contains(
            "java.base",
            "java.naming",
            "java.net.http",
            "jdk.crypto.ec",
            "jdk.naming.dns",
            "jdk.unsupported")
        .doesNotContain("jdk.compiler", "jdk.jshell", "java.rmi");
  }

  private static String run(String arg) throws Exception {
    Process process =
        new ProcessBuilder(List.of(JAVA.toString(), arg)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
