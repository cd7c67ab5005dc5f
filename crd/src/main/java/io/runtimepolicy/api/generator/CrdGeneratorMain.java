package io.runtimepolicy.api.generator;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.io.File;

/**
 * Generates the RuntimePolicy CRD from the Java model at build time (crd/pom.xml runs it at
 * process-classes). The generator API is used instead of its Maven plugin because only the API
 * takes a post-processor, and the printer columns must keep the order users read them in. Given a
 * class name as well, it generates that class's CRD alone (operator/pom.xml: the OpenReports
 * Report, which is not this project's API and so has none of its columns).
 */
public final class CrdGeneratorMain {

  private CrdGeneratorMain() {}

  public static void main(String[] args) {
    if (args.length != 1 && args.length != 2) {
      throw new IllegalArgumentException("usage: CrdGeneratorMain <output directory> [class]");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    CRDGenerator generator = new CRDGenerator().inOutputDir(out).forCRDVersions("v1");
    if (args.length == 2) {
      generator.customResourceClasses(resourceClass(args[1]));
    } else {
      generator
          .withPostProcessor(new CrdPostProcessor(RuntimePolicy.class))
          .customResourceClasses(RuntimePolicy.class);
    }
    int written = generator.generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, generated " + written);
    }
  }

  private static Class<? extends HasMetadata> resourceClass(String name) {
    try {
      return Class.forName(name).asSubclass(HasMetadata.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no class " + name + " on the classpath", e);
    }
  }
}
