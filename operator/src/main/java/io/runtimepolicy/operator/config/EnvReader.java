package io.runtimepolicy.operator.config;

import io.runtimepolicy.api.OptionsVariables;
import io.runtimepolicy.api.v1alpha1.ProbesSpec;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/** Typed reads of environment variables; every error names the variable and what it accepts. */
final class EnvReader {

  private static final Pattern GO_DURATION = Pattern.compile(ProbesSpec.DURATION_PATTERN);

  private final Map<String, String> env;
  private final String prefix;

  EnvReader(Map<String, String> env, String prefix) {
    this.env = env;
    this.prefix = prefix;
  }

  String string(String name, String fallback) {
    String value = env.get(prefix + name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** A variable name that may carry the JVM flags ({@link OptionsVariables}). */
  String optionsVariable(String name, String fallback) {
    String value = string(name, fallback);
    if (!OptionsVariables.allowed(value)) {
      throw invalid(
          name,
          value,
          "an env variable name for JVM options ("
              + String.join(", ", OptionsVariables.JVM)
              + " or one of your own), not a system or runtime variable");
    }
    return value;
  }

  boolean bool(String name, boolean fallback) {
    String value = string(name, Boolean.toString(fallback)).toLowerCase();
    if (!value.equals("true") && !value.equals("false")) {
      throw invalid(name, value, "true or false");
    }
    return Boolean.parseBoolean(value);
  }

  int port(String name, int fallback) {
    int port = intAtLeast(name, fallback, 0);
    if (port > 65535) {
      throw invalid(name, Integer.toString(port), "a port from 0 to 65535");
    }
    return port;
  }

  int intAtLeast(String name, int fallback, int min) {
    Integer value = optionalIntAtLeast(name, min);
    return value == null ? fallback : value;
  }

  Integer optionalIntAtLeast(String name, int min) {
    String text = string(name, null);
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw invalid(name, text, "a whole number of at least " + min);
  }

  /**
   * A processor count the CRD accepts, {@code min} to {@link RuntimePolicySpec#MAX_PROCESSORS}: the
   * default policy is created from it, and the API server would refuse a larger one.
   */
  Integer optionalProcessors(String name, int min) {
    Integer value = optionalIntAtLeast(name, min);
    if (value != null && value > RuntimePolicySpec.MAX_PROCESSORS) {
      throw invalid(
          name,
          value.toString(),
          "a processor count from " + min + " to " + RuntimePolicySpec.MAX_PROCESSORS);
    }
    return value;
  }

  Double optionalPercentage(String name) {
    String text = string(name, null);
    if (text == null) {
      return null;
    }
    try {
      double value = Double.parseDouble(text);
      if (value > 0 && value <= 100) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw invalid(name, text, "a percentage above 0 and at most 100");
  }

  /**
   * A whole percentage from 1 to 100; {@code fallback} when the variable is not set at all, and
   * null (not managed) when it is set to an empty value, as the chart writes a null.
   */
  Integer percentOrNone(String name, Integer fallback) {
    String raw = env.get(prefix + name);
    if (raw == null) {
      return fallback;
    }
    if (raw.isBlank()) {
      return null;
    }
    Integer value = optionalIntAtLeast(name, 1);
    if (value > 100) {
      throw invalid(name, raw.trim(), "a whole percentage from 1 to 100, or empty for none");
    }
    return value;
  }

  <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
    String text = string(name, fallback.name());
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.name().equals(text))
        .findFirst()
        .orElseThrow(
            () -> invalid(name, text, "one of " + Arrays.toString(type.getEnumConstants())));
  }

  /** The text as written (it goes into a RuntimePolicy spec), validated as a Go duration. */
  String goDuration(String name, String fallback) {
    String text = string(name, fallback);
    if (!GO_DURATION.matcher(text).matches()) {
      throw invalid(name, text, "a Go duration such as 5s, 1500ms or 1m30s");
    }
    return text;
  }

  Duration duration(String name, Duration fallback) {
    String text = string(name, null);
    if (text == null) {
      return fallback;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(name, text, "a Go duration such as 2s, 500ms or 10m");
    }
  }

  private IllegalArgumentException invalid(String name, String value, String accepted) {
    return new IllegalArgumentException(
        prefix + name + "=\"" + value + "\" is not valid: expected " + accepted);
  }
}
