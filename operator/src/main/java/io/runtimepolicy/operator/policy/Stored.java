package io.runtimepolicy.operator.policy;

import java.util.Map;

/**
 * What the API server holds before the write a plan is for: nothing (a CREATE: the operator has
 * governed nothing of it yet), or an object carrying the operator's record (an UPDATE's old object,
 * or the stored object itself when the reconciler plans).
 *
 * @param exists false for a CREATE
 * @param record the {@link Annotations#MANAGED_ENV} value stored; null when none
 */
public record Stored(boolean exists, String record) {

  /** A CREATE. */
  public static final Stored NOTHING = new Stored(false, null);

  /** An object stored with these annotations (null: none). */
  public static Stored with(Map<String, String> annotations) {
    return new Stored(true, annotations == null ? null : annotations.get(Annotations.MANAGED_ENV));
  }
}
