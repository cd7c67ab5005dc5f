package io.runtimepolicy.api.generator;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.io.File;

/**
 * Generates the RuntimePolicy CRD from the Java model at build time (crd/pom.xml runs it at
 * process-classes). The generator API is used instead of its Maven plugin because only the API
 * takes a post-processor, and the printer columns must keep the order users read them in.
 */
public final class CrdGeneratorMain {

  private CrdGeneratorMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdGeneratorMain <output directory>");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written =
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .withPostProcessor(new CrdPostProcessor(RuntimePolicy.class))
            .customResourceClasses(RuntimePolicy.class)
            .generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, generated " + written);
    }
  }
}
