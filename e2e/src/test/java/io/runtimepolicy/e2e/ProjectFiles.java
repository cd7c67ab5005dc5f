package io.runtimepolicy.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository the tests run in, found from the working directory upwards. */
final class ProjectFiles {

  static final String CRD_FILE = "runtimepolicies.runtimepolicy.io-v1.yml";
  static final String REPORT_CRD_FILE = "reports.openreports.io-v1.yml";

  private ProjectFiles() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("helm/runtime-policy-operator/Chart.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no helm/runtime-policy-operator above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path chart() {
    return root().resolve("helm/runtime-policy-operator");
  }

  static Path chartCrd() {
    return chart().resolve("crds").resolve(CRD_FILE);
  }

  static Path generatedCrd() {
    return root().resolve("operator/target/classes/META-INF/fabric8").resolve(CRD_FILE);
  }

  static Path testResource(String name) {
    return root().resolve("e2e/src/test/resources").resolve(name);
  }
}
