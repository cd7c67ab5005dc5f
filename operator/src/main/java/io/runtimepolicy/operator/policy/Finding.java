package io.runtimepolicy.operator.policy;

import java.util.Objects;

/**
 * One rule outcome users read in status, Events and admission warnings.
 *
 * @param reason one of {@link Reasons}
 * @param container the container it is about; null for a Deployment-level finding
 * @param severity whether a rule failed or the operator only tells
 * @param message at most {@link #MAX_MESSAGE_LENGTH} characters, prefixed {@code "container <name>:
 *     "} when {@code container} is set
 */
public record Finding(String reason, String container, Severity severity, String message) {

  /**
   * Kubernetes advises warnings under 120 characters; the webhook prefixes {@code "runtimepolicy:
   * "} (15), so messages stop at 104 and the warning still fits.
   */
  public static final int MAX_MESSAGE_LENGTH = 104;

  private static final String ELLIPSIS = "...";
  private static final int QUOTED_LENGTH = 16;
  private static final int MIN_NAME_LENGTH = 12;

  /** How a finding counts in status: only a Violation makes the Deployment a Violation. */
  public enum Severity {
    Violation,
    Notice
  }

  /** Every message is cut to {@link #MAX_MESSAGE_LENGTH}, ending in "...", whoever builds it. */
  public Finding {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(severity, "severity");
    message = shorten(Objects.requireNonNull(message, "message"), MAX_MESSAGE_LENGTH);
  }

  /** The rule this finding is about ({@link Rule#of} its reason). */
  public Rule rule() {
    return Rule.of(reason);
  }

  /** A failed rule about {@code container} (null: the Deployment); see {@link #of}. */
  public static Finding violation(String reason, String container, String detail) {
    return of(reason, container, Severity.Violation, detail);
  }

  /** Something users should know that fails no rule; see {@link #of}. */
  public static Finding notice(String reason, String container, String detail) {
    return of(reason, container, Severity.Notice, detail);
  }

  /**
   * The message is {@code "container <name>: <detail>"}, or just the detail without a container. A
   * container name that would push it over the limit is shortened with "..." first, so the rule
   * stays readable; whatever is still too long is cut at the end.
   */
  public static Finding of(String reason, String container, Severity severity, String detail) {
    if (container == null) {
      return new Finding(reason, null, severity, detail);
    }
    String message = prefix(container) + detail;
    if (message.length() > MAX_MESSAGE_LENGTH) {
      int room = MAX_MESSAGE_LENGTH - prefix("").length() - detail.length();
      message = prefix(shorten(container, Math.max(room, MIN_NAME_LENGTH))) + detail;
    }
    return new Finding(reason, container, severity, message);
  }

  private static String prefix(String container) {
    return "container " + container + ": ";
  }

  /** User text in double quotes, shortened: a pasted blob must not push out what went wrong. */
  public static String quoted(String userText) {
    return "\"" + shorten(userText, QUOTED_LENGTH) + "\"";
  }

  private static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max - ELLIPSIS.length();
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + ELLIPSIS;
  }
}
