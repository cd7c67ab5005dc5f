package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Kubernetes quantities, parsed the way the API server parses them ({@code ParseQuantity} in
 * k8s.io/apimachinery/pkg/api/resource/quantity.go), with exact {@link BigDecimal} arithmetic.
 */
public final class Quantities {

  private static final Map<String, Integer> DECIMAL_SI =
      Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY_SI =
      Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
  private static final String SUFFIX_LETTERS = "eEinumkKMGTP";
  private static final int NANO_SCALE = 9;
  private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(NANO_SCALE);
  private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);

  private Quantities() {}

  /**
   * The value of a Kubernetes quantity in base units (cores for CPU, bytes for memory).
   *
   * <p>Grammar: {@code <sign>? <number> <suffix>}, where the number is {@code 1}, {@code 1.5},
   * {@code 1.} or {@code .5}, and the suffix is binary SI (Ki Mi Gi Ti Pi Ei), decimal SI (n u m ""
   * k M G T P E) or a decimal exponent ({@code e3}, {@code E-3}, {@code e+3}). No whitespace. Like
   * the API server, non-zero values are rounded away from zero to a whole nano unit, and binary-SI
   * values are capped at 2^63-1. Negative values parse; callers decide what they mean.
   *
   * <p>{@code 1e3m} is <em>not</em> a quantity: an exponent suffix cannot carry another suffix, and
   * the API server rejects it with ErrFormatWrong. Two deliberate differences from the API server,
   * neither reachable through it (it stores quantities canonically): a number needs at least one
   * digit ({@code m}, {@code .}, {@code +} are rejected, where Go's fast path reads them as 0), and
   * an exponent whose value an exact decimal cannot hold (beyond about ±2^31) is rejected, where Go
   * silently wraps it to int32.
   *
   * @throws InvalidQuantityException for null or any text outside the grammar; nothing else
   */
  public static BigDecimal parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidQuantityException(text, "empty");
    }
    Parts parts = Parts.scan(text);
    BigDecimal magnitude = roundUpToNano(applySuffix(parts, text));
    if (BINARY_SI.containsKey(parts.suffix) && magnitude.compareTo(MAX_BINARY) > 0) {
      magnitude = MAX_BINARY;
    }
    if (magnitude.signum() == 0) {
      return BigDecimal.ZERO;
    }
    return parts.negative ? magnitude.negate() : magnitude;
  }

  /** The quantity as written ({@code amount + format}, e.g. {@code "500m"}); null if unset. */
  public static String text(Quantity quantity) {
    if (quantity == null || quantity.getAmount() == null) {
      return null;
    }
    String format = quantity.getFormat();
    return quantity.getAmount() + (format == null ? "" : format);
  }

  private static BigDecimal applySuffix(Parts parts, String text) {
    BigInteger unscaled = new BigInteger(parts.integer + parts.fraction);
    Integer binary = BINARY_SI.get(parts.suffix);
    if (binary != null) {
      BigDecimal number = new BigDecimal(unscaled, parts.fraction.length());
      return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(binary)));
    }
    long scale = (long) parts.fraction.length() - decimalExponent(parts.suffix, text);
    if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
      throw new InvalidQuantityException(text, "exponent out of range");
    }
    return new BigDecimal(unscaled, (int) scale);
  }

  private static int decimalExponent(String suffix, String text) {
    Integer decimal = DECIMAL_SI.get(suffix);
    if (decimal != null) {
      return decimal;
    }
    char first = suffix.isEmpty() ? ' ' : suffix.charAt(0);
    if (suffix.length() < 2 || (first != 'e' && first != 'E')) {
      throw new InvalidQuantityException(text, "unknown suffix \"" + suffix + "\"");
    }
    try {
      return Integer.parseInt(suffix.substring(1));
    } catch (NumberFormatException e) {
      throw new InvalidQuantityException(text, "bad exponent \"" + suffix + "\"");
    }
  }

  // The API server's rule: "if you want some resources, you should get some resources".
  private static BigDecimal roundUpToNano(BigDecimal value) {
    if (value.signum() == 0 || value.scale() <= NANO_SCALE) {
      return value;
    }
    // Below 1n: answer directly rather than rescale a value that may have a huge scale.
    if ((long) value.precision() - value.scale() <= -NANO_SCALE) {
      return NANO;
    }
    return value.setScale(NANO_SCALE, RoundingMode.UP);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The scanner of quantity.go's parseQuantityString: sign, digits, fraction, suffix. */
  private record Parts(boolean negative, String integer, String fraction, String suffix) {

    static Parts scan(String text) {
      int end = text.length();
      boolean negative = text.charAt(0) == '-';
      int pos = negative || text.charAt(0) == '+' ? 1 : 0;
      int integerEnd = skipDigits(text, pos);
      String integer = text.substring(pos, integerEnd);
      String fraction = "";
      pos = integerEnd;
      if (pos < end && text.charAt(pos) == '.') {
        int fractionEnd = skipDigits(text, pos + 1);
        fraction = text.substring(pos + 1, fractionEnd);
        pos = fractionEnd;
      }
      if (integer.isEmpty() && fraction.isEmpty()) {
        throw new InvalidQuantityException(text, "no digits");
      }
      int suffixStart = pos;
      while (pos < end && SUFFIX_LETTERS.indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      if (pos < end && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (skipDigits(text, pos) != end) {
        throw new InvalidQuantityException(text, "does not match <number><suffix>");
      }
      return new Parts(negative, integer, fraction, text.substring(suffixStart));
    }

    private static int skipDigits(String text, int from) {
      int pos = from;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      return pos;
    }
  }
}
