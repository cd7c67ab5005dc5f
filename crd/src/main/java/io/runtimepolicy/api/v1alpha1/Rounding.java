package io.runtimepolicy.api.v1alpha1;

/** How a fractional CPU quantity becomes a whole number of processors. */
public enum Rounding {
  /** Up to the next whole number, as the JVM itself does: 1500m gives 2. */
  Ceil,
  /** Down to the whole number below: 1500m gives 1; never below minProcessors. */
  Floor
}
