package io.runtimepolicy.api.generator;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runtimepolicy.api.RuntimeCatalog;
import io.runtimepolicy.api.RuntimeSection;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates CRDs from Java models at build time; the operator module runs it at process-classes.
 * The generator API is used instead of its Maven plugin because only the API takes a
 * post-processor, and the printer columns must keep the order users read them in.
 *
 * <ul>
 *   <li>{@code <output directory> [--values-schema FILE]}: the RuntimePolicy CRD, whose runtime
 *       sections come from the engine ({@link RuntimeCatalog}), and, given a chart's values schema,
 *       its {@code defaultPolicy} entry from the CRD's spec ({@link ValuesSchema}).
 *   <li>{@code <output directory> --resource CLASS}: that class's CRD alone (the OpenReports
 *       Report, which is not this project's API and so has none of its columns or sections).
 * </ul>
 */
public final class CrdGeneratorMain {

  private static final String USAGE =
      "usage: CrdGeneratorMain <output directory> [--values-schema FILE | --resource CLASS]";

  private CrdGeneratorMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      throw new IllegalArgumentException(USAGE);
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    String option = args.length == 3 ? args[1] : "";
    CRDGenerator generator = new CRDGenerator().inOutputDir(out).forCRDVersions("v1");
    CrdPostProcessor postProcessor = null;
    switch (option) {
      case "--resource" -> generator.customResourceClasses(resourceClass(args[2]));
      case "", "--values-schema" -> {
        postProcessor = new CrdPostProcessor(RuntimePolicy.class, sections());
        generator.withPostProcessor(postProcessor).customResourceClasses(RuntimePolicy.class);
      }
      default -> throw new IllegalArgumentException(USAGE);
    }
    int written = generator.generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, generated " + written);
    }
    if (option.equals("--values-schema")) {
      ValuesSchema.writeDefaultPolicy(Path.of(args[2]), postProcessor.spec());
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

  private static Class<? extends HasMetadata> resourceClass(String name) {
    try {
      return Class.forName(name).asSubclass(HasMetadata.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no class " + name + " on the classpath", e);
    }
  }
}
