package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;

/** What a custom runtime's variable is set to, computed per container. */
public enum CustomValue {
  /** The processor count, by the runtime's processor fields. */
  Processors,
  /** {@code percent} of the memory limit in whole MiB, rounded down. */
  MemoryLimitMiB,
  /** {@code percent} of the memory limit in bytes, rounded down. */
  MemoryLimitBytes;

  /**
   * Null for a value this version does not know (stored by a newer one): the engine names the
   * variable in a status condition, rather than the whole policy failing to read.
   */
  @JsonCreator
  public static CustomValue of(String value) {
    return Arrays.stream(values()).filter(v -> v.name().equals(value)).findFirst().orElse(null);
  }
}
