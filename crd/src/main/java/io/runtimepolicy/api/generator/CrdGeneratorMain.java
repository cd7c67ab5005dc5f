package io.runtimepolicy.api.generator;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.runtimepolicy.api.RuntimeCatalog;
import io.runtimepolicy.api.RuntimeSection;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the RuntimePolicy CRD from the Java model at build time. The operator module runs it at
 * process-classes, because the runtime sections come from the engine ({@link RuntimeCatalog}). The
 * generator API is used instead of its Maven plugin because only the API takes a post-processor,
 * and the printer columns must keep the order users read them in.
 */
public final class CrdGeneratorMain {

  private CrdGeneratorMain() {}

  /**
   * {@code <output directory> [values.schema.json]}: the CRD into the directory, and, given a
   * chart's values schema, its {@code defaultPolicy} entry from the CRD's spec ({@link
   * ValuesSchema}).
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException(
          "usage: CrdGeneratorMain <output directory> [values.schema.json]");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    CrdPostProcessor postProcessor = new CrdPostProcessor(RuntimePolicy.class, sections());
    int written =
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .withPostProcessor(postProcessor)
            .customResourceClasses(RuntimePolicy.class)
            .generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, generated " + written);
    }
    if (args.length == 2) {
      ValuesSchema.writeDefaultPolicy(Path.of(args[1]), postProcessor.spec());
    }
  }

  /** The engine's runtime sections: the operator module provides the one catalog. */
  private static List<? extends RuntimeSection> sections() {
    List<? extends RuntimeSection> sections = RuntimeCatalog.installed().sections();
    if (sections.isEmpty()) {
      throw new IllegalStateException(
          "no RuntimeCatalog on the classpath: the operator module generates the CRD");
    }
    return sections;
  }
}
