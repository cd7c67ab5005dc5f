package io.runtimepolicy.operator.policy;

/**
 * A text that is not a Kubernetes quantity. Unchecked, like {@link NumberFormatException}, and the
 * only exception {@link Quantities#parse} throws.
 */
public class InvalidQuantityException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_QUOTED = 40;

  public InvalidQuantityException(String text, String why) {
    super("invalid quantity " + quote(text) + ": " + why);
  }

  private static String quote(String text) {
    if (text == null) {
      return "null";
    }
    String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    return "\"" + shown + "\"";
  }
}
