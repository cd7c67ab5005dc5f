package io.runtimepolicy.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One reported figure: its value, the baseline measured in the same run (if any) and their ratio,
 * and the target with whether it is met.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Figure(
    String section,
    String name,
    double value,
    String unit,
    Double baseline,
    String baselineName,
    String target,
    Boolean pass) {

  static Figure of(String section, String name, double value, String unit) {
    return new Figure(section, name, value, unit, null, null, null, null);
  }

  Figure vs(double baselineValue, String what) {
    return new Figure(section, name, value, unit, baselineValue, what, target, pass);
  }

  Figure target(String text, boolean met) {
    return new Figure(section, name, value, unit, baseline, baselineName, text, met);
  }

  @JsonProperty
  Double ratio() {
    return baseline == null || baseline == 0 ? null : value / baseline;
  }

  String formattedValue() {
    return format(value);
  }

  String formattedBaseline() {
    return baseline == null ? "" : format(baseline) + " (" + baselineName + ")";
  }

  private String format(double v) {
    String number =
        switch (unit) {
          case "s", "ms", "x" -> String.format("%.2f", v);
          case "MiB", "/min", "/s", "KiB" -> String.format("%.1f", v);
          default -> String.format("%.0f", v);
        };
    return number + " " + unit;
  }
}
