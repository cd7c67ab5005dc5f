package io.runtimepolicy.api;

import io.runtimepolicy.api.v1alpha1.ProcessorSpec;

/**
 * One runtime's section of a RuntimePolicy spec ({@code spec.<name>}). The engine's runtime
 * profiles are the sections: the CRD's schema for them is generated from this, so a new runtime
 * brings its section with it and no CRD type is edited by hand.
 */
public interface RuntimeSection {

  /**
   * The section's key in the spec and the stem of the opt-in: {@code
   * runtimepolicy.io/<name>-tuning}.
   */
  String name();

  /** The section's settings: {@link ProcessorSpec} itself, or a subclass with the runtime's own. */
  Class<? extends ProcessorSpec> sectionType();

  /** The section's description in the CRD. */
  String description();
}
