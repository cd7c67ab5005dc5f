package io.runtimepolicy.api;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Where the model and the CRD generator find the runtime sections: the operator provides the one
 * implementation (a {@link ServiceLoader} service), so the sections follow the engine's list of
 * runtimes and are never listed twice.
 */
public interface RuntimeCatalog {

  /** Every runtime section, in the order the engine lists its runtimes. */
  List<? extends RuntimeSection> sections();

  /**
   * The one catalog on the classpath; none (the model used without the operator) lists no sections,
   * and every section is then kept as written.
   */
  static RuntimeCatalog installed() {
    return Installed.CATALOG;
  }

  /** Looked up once: the classpath does not change. */
  final class Installed {
    private static final RuntimeCatalog CATALOG = find();

    private Installed() {}

    private static RuntimeCatalog find() {
      List<RuntimeCatalog> found =
          ServiceLoader.load(RuntimeCatalog.class, RuntimeCatalog.class.getClassLoader()).stream()
              .map(ServiceLoader.Provider::get)
              .toList();
      if (found.size() > 1) {
        throw new IllegalStateException("more than one RuntimeCatalog on the classpath: " + found);
      }
      return found.isEmpty() ? List::of : found.get(0);
    }
  }
}
