package io.runtimepolicy.operator.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One env variable a {@link RuntimeProfile} wants in a container: either set whole ({@code
 * GOMAXPROCS=2}) or managed flags merged into an options string the user also writes to ({@code
 * JAVA_TOOL_OPTIONS}). Every caller (Tuning, give-back, warnings, status, Events) works on these
 * without knowing the runtime.
 */
public sealed interface EnvChange permits EnvChange.SetValue, EnvChange.MergeFlags {

  /** The variable's name. */
  String variable();

  /**
   * The value the variable should have, given the user's own value ({@code null}: they had none).
   * Deterministic and idempotent: {@code valueFor(valueFor(x)) == valueFor(x)}.
   */
  String valueFor(String user);

  /** What the operator sets, for Events and logs: {@code GOMAXPROCS=2}, or the flags and where. */
  String describe();

  /**
   * The part of the value the operator manages, for status: the whole value, or only the managed
   * flags of an options variable ({@code -XX:ActiveProcessorCount=2}), never the user's own options
   * (they may hold what status readers should not see).
   */
  String managed();

  /**
   * For admission warnings under Audit: one text per managed value present in {@code current} that
   * differs from what the policy computes (numerically equal values do not differ). A missing value
   * is not drift. {@code current} null: none.
   */
  List<String> drift(String current);

  /**
   * The variable set whole; whatever the user had is replaced (and given back on leaving).
   *
   * @param value the value to set
   */
  record SetValue(String variable, String value) implements EnvChange {

    @Override
    public String valueFor(String user) {
      return value;
    }

    @Override
    public String describe() {
      return variable + "=" + value;
    }

    @Override
    public String managed() {
      return value;
    }

    @Override
    public List<String> drift(String current) {
      if (current == null || sameValue(current.strip(), value)) {
        return List.of();
      }
      return List.of(
          variable + " is " + Finding.quoted(current) + ", the policy computes " + value);
    }
  }

  /**
   * Managed flags merged into an options variable with {@link JavaToolOptions#merge}: the user's
   * own options stay exactly as written.
   *
   * @param flags flag to value, in the order to append
   */
  record MergeFlags(String variable, LinkedHashMap<String, String> flags) implements EnvChange {

    public MergeFlags {
      flags = new LinkedHashMap<>(flags);
    }

    @Override
    public String valueFor(String user) {
      return JavaToolOptions.merge(user, new LinkedHashMap<>(flags));
    }

    @Override
    public String describe() {
      return managed() + " in " + variable;
    }

    @Override
    public String managed() {
      return flags.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(" "));
    }

    @Override
    public List<String> drift(String current) {
      if (current == null) {
        return List.of();
      }
      List<String> drift = new ArrayList<>();
      Map<String, String> now = JavaToolOptions.flags(current, flags.keySet());
      flags.forEach(
          (flag, wanted) -> {
            String has = now.get(flag);
            if (has != null && !sameValue(has, wanted)) {
              String shown = has.isEmpty() ? flag : flag + "=" + has;
              drift.add(variable + " has " + shown + ", the policy computes " + wanted);
            }
          });
      return drift;
    }
  }

  private static boolean sameValue(String current, String wanted) {
    try {
      return new BigDecimal(current).compareTo(new BigDecimal(wanted)) == 0;
    } catch (NumberFormatException e) {
      return current.equals(wanted);
    }
  }
}
