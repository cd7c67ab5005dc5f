package io.runtimepolicy.operator.config;

import io.runtimepolicy.operator.policy.Durations;
import java.time.Duration;
import java.util.Map;

/** Typed reads of environment variables; every error names the variable and what it accepts. */
final class EnvReader {

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
