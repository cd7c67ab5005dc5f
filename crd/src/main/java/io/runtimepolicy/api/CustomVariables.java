package io.runtimepolicy.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which env variables a custom runtime may set ({@code spec.custom[].env[].name}). It sets them to
 * a number, so a system variable ({@code PATH}, {@code LD_PRELOAD}) would break the container, and
 * an options variable ({@code JAVA_TOOL_OPTIONS}, {@code NODE_OPTIONS}) would lose the options it
 * carries. Another runtime's count ({@code GOMAXPROCS}) is allowed: where both apply to one
 * container, neither sets it and a finding says why. The CRD refuses these names with a CEL rule
 * built from this list, and the engine refuses them again where the schema was bypassed.
 */
public final class CustomVariables {

  /** Variables that carry options, not a number. */
  public static final List<String> OPTIONS;

  static {
    List<String> options = new ArrayList<>(OptionsVariables.JVM);
    options.add("NODE_OPTIONS");
    OPTIONS = List.copyOf(options);
  }

  private static final Pattern NAME = Pattern.compile(OptionsVariables.NAME_PATTERN);

  private CustomVariables() {}

  /** Whether a custom runtime may set {@code name}. */
  public static boolean allowed(String name) {
    return name != null
        && name.length() <= OptionsVariables.MAX_LENGTH
        && NAME.matcher(name).matches()
        && !refused().contains(name)
        && OptionsVariables.SYSTEM_PREFIXES.stream().noneMatch(name::startsWith);
  }

  private static List<String> refused() {
    return Stream.concat(OptionsVariables.SYSTEM.stream(), OPTIONS.stream()).toList();
  }

  /** The same rule in CEL, on {@code self}, for the CRD. */
  public static String celRule() {
    return "!(self in ["
        + refused().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
        + "]) && "
        + OptionsVariables.SYSTEM_PREFIXES.stream()
            .map(p -> "!self.startsWith('" + p + "')")
            .collect(Collectors.joining(" && "));
  }

  /** What the schema says when it refuses a name. */
  public static String celMessageExpression() {
    return "self + ' is a system or options variable: a custom runtime sets a number, so it may"
        + " not set this one'";
  }
}
