package io.runtimepolicy.operator.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Durations written the way Go and Kubernetes write them: {@code 5s}, {@code 1m30s}. */
public final class Durations {

  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign
          "\u03bcs", 1_000L, // Greek mu: Go accepts both
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);
  private static final int MAX_INTEGER_DIGITS = 19;
  // Digits past the 18th are below a nanosecond even for hours; Go drops them too.
  private static final int MAX_FRACTION_DIGITS = 18;

  private Durations() {}

  /**
   * Go's {@code time.ParseDuration}: one or more {@code <number><unit>} parts, the number a decimal
   * ({@code 5}, {@code 0.5}, {@code .5}, {@code 1.}), the unit one of ns us µs ms s m h, summed:
   * {@code 5s}, {@code 1500ms}, {@code 1m30s}, {@code 2h45m}. A leading {@code +} and the bare
   * {@code 0} are accepted, as in Go. Fractions of a nanosecond are dropped.
   *
   * <p>Unlike Go, a leading {@code -} is rejected (even {@code -0s}): a negative read timeout means
   * nothing. Durations over Go's limit (about 292 years) are rejected, as in Go.
   *
   * @throws IllegalArgumentException for null, blank, a missing or unknown unit ({@code 5}, {@code
   *     1m30}, {@code 5x}), a sign, whitespace, or overflow; nothing else
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw invalid(text, "empty");
    }
    if (text.charAt(0) == '-') {
      throw invalid(text, "negative");
    }
    int pos = text.charAt(0) == '+' ? 1 : 0;
    if (text.substring(pos).equals("0")) {
      return Duration.ZERO;
    }
    if (pos == text.length()) {
      throw invalid(text, "no number");
    }
    long nanos = 0;
    while (pos < text.length()) {
      int end = partEnd(text, pos);
      long part = partNanos(text, pos, end);
      if (part > Long.MAX_VALUE - nanos) {
        throw invalid(text, "too long");
      }
      nanos += part;
      pos = end;
    }
    return Duration.ofNanos(nanos);
  }

  /** The end of the {@code <number><unit>} part starting at {@code from}. */
  private static int partEnd(String text, int from) {
    int pos = skipDigits(text, from);
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos = skipDigits(text, pos + 1);
    }
    while (pos < text.length() && !isNumberChar(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static long partNanos(String text, int from, int end) {
    int integerEnd = skipDigits(text, from);
    String integer = stripLeadingZeros(text.substring(from, integerEnd));
    int unitStart = integerEnd;
    String fraction = "";
    if (unitStart < end && text.charAt(unitStart) == '.') {
      unitStart = skipDigits(text, integerEnd + 1);
      fraction = text.substring(integerEnd + 1, unitStart);
    }
    if (integerEnd == from && fraction.isEmpty()) {
      throw invalid(text, "expected a number");
    }
    Long unit = UNIT_NANOS.get(text.substring(unitStart, end));
    if (unit == null) {
      throw invalid(text, unitStart == end ? "missing unit" : "unknown unit");
    }
    if (integer.length() > MAX_INTEGER_DIGITS) {
      throw invalid(text, "too long");
    }
    String digits = fraction.substring(0, Math.min(fraction.length(), MAX_FRACTION_DIGITS));
    BigDecimal number = new BigDecimal((integer.isEmpty() ? "0" : integer) + "." + digits + "0");
    BigDecimal exact = number.multiply(BigDecimal.valueOf(unit));
    if (exact.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw invalid(text, "too long");
    }
    return exact.longValue();
  }

  private static String stripLeadingZeros(String digits) {
    int first = 0;
    while (first < digits.length() && digits.charAt(first) == '0') {
      first++;
    }
    return digits.substring(first);
  }

  private static int skipDigits(String text, int from) {
    int pos = from;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static boolean isNumberChar(char c) {
    return c == '.' || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text, String why) {
    String shown = text != null && text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return new IllegalArgumentException("invalid duration \"" + shown + "\": " + why);
  }
}
