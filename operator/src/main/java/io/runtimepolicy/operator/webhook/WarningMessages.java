package io.runtimepolicy.operator.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Turns policy findings into AdmissionReview warnings the way kubectl users should see them. */
final class WarningMessages {
  static final String PREFIX = "runtimepolicy: ";

  /** Kubernetes advises warnings under 120 characters; this bound includes the prefix. */
  static final int MAX_LENGTH = 119;

  static final int MAX_WARNINGS = 10;
  private static final String ELLIPSIS = "...";

  private WarningMessages() {}

  /**
   * Prefixes each message, drops blank ones, truncates to {@link #MAX_LENGTH} and keeps at most
   * {@link #MAX_WARNINGS}; when more were given, the last one says how many were left out.
   */
  static List<String> format(List<String> messages) {
    List<String> texts =
        messages.stream()
            .filter(Objects::nonNull)
            .map(WarningMessages::clean)
            .filter(m -> !m.isEmpty())
            .toList();
    List<String> warnings = new ArrayList<>(Math.min(texts.size(), MAX_WARNINGS));
    if (texts.size() <= MAX_WARNINGS) {
      texts.forEach(t -> warnings.add(prefixed(t)));
      return warnings;
    }
    texts.subList(0, MAX_WARNINGS - 1).forEach(t -> warnings.add(prefixed(t)));
    int leftOut = texts.size() - (MAX_WARNINGS - 1);
    warnings.add(prefixed(leftOut + " more warnings not shown"));
    return warnings;
  }

  private static String prefixed(String text) {
    String warning = PREFIX + text;
    if (warning.length() <= MAX_LENGTH) {
      return warning;
    }
    int end = MAX_LENGTH - ELLIPSIS.length();
    if (Character.isHighSurrogate(warning.charAt(end - 1))) {
      end--;
    }
    return warning.substring(0, end) + ELLIPSIS;
  }

  // The API server drops warnings with control characters; a newline would also break kubectl's
  // one-warning-per-line output.
  private static String clean(String message) {
    StringBuilder out = new StringBuilder(message.length());
    message.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString().strip();
  }
}
