package io.runtimepolicy.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which env variables may carry the managed JVM flags ({@code spec.java.optionsEnvVar}): the JVM's
 * own ({@link #JVM}) or one the user names that no runtime and no well-known system variable uses.
 * Merging flags into {@code PATH} or {@code HOME} would break the container, and into another
 * runtime's variable would fight that runtime's tuning, so the CRD refuses those names (a CEL rule
 * built from this list) and the engine refuses them again where the schema was bypassed.
 */
public final class OptionsVariables {

  /** The variables the JVM itself reads options from. */
  public static final List<String> JVM =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  /**
   * Variables that mean something else to a runtime, a shell, the dynamic linker or Kubernetes; a
   * name starting with one of {@link #RESERVED_PREFIXES} is refused too.
   */
  public static final List<String> RESERVED;

  /** The process environment every program reads: never a runtime's option or count. */
  public static final List<String> SYSTEM =
      List.of(
          "PATH",
          "HOME",
          "USER",
          "LOGNAME",
          "SHELL",
          "PWD",
          "OLDPWD",
          "HOSTNAME",
          "TERM",
          "TZ",
          "LANG",
          "LANGUAGE",
          "TMPDIR",
          "TMP",
          "TEMP",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "NO_PROXY",
          "http_proxy",
          "https_proxy",
          "no_proxy",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR");

  /** Families of system variables: locale, the dynamic linker, Kubernetes, XDG. */
  public static final List<String> SYSTEM_PREFIXES = List.of("LC_", "LD_", "KUBERNETES_", "XDG_");

  static {
    List<String> reserved =
        new ArrayList<>(
            List.of(
                // runtimes the operator tunes, or whose tuning a JVM flag would be mistaken for
                "GOMAXPROCS",
                "GOMEMLIMIT",
                "GOGC",
                "GODEBUG",
                "GOTRACEBACK",
                "GOROOT",
                "GOPATH",
                "PYTHON_CPU_COUNT",
                "PYTHONPATH",
                "PYTHONHOME",
                "NODE_OPTIONS",
                "NODE_PATH",
                "OMP_NUM_THREADS",
                "OPENBLAS_NUM_THREADS",
                "MKL_NUM_THREADS",
                "MALLOC_ARENA_MAX",
                "JAVA_HOME",
                "CLASSPATH"));
    reserved.addAll(SYSTEM);
    RESERVED = List.copyOf(reserved);
  }

  /** Families of variables that are never JVM options: locale, linker, Kubernetes, runtimes. */
  public static final List<String> RESERVED_PREFIXES =
      List.of("LC_", "LD_", "KUBERNETES_", "DOTNET_", "COMPlus_", "OMP_", "XDG_");

  /** What an env variable name is, for the schema's pattern and the engine alike. */
  public static final String NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

  /** Longest name accepted; keeps the schema's CEL rule cheap. */
  public static final int MAX_LENGTH = 256;

  private OptionsVariables() {}

  /** Whether {@code name} is an env variable name that may carry the managed JVM flags. */
  public static boolean allowed(String name) {
    return name != null
        && name.length() <= MAX_LENGTH
        && NAME.matcher(name).matches()
        && !RESERVED.contains(name)
        && RESERVED_PREFIXES.stream().noneMatch(name::startsWith);
  }

  /** The same rule in CEL, on {@code self}, for the CRD. */
  public static String celRule() {
    return "!(self in ["
        + RESERVED.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
        + "]) && "
        + RESERVED_PREFIXES.stream()
            .map(p -> "!self.startsWith('" + p + "')")
            .collect(Collectors.joining(" && "));
  }

  /** What the schema says when it refuses a name. */
  public static String celMessageExpression() {
    return "self + ' is a system or runtime variable, not a JVM options variable: use "
        + String.join(", ", JVM)
        + " or a name of your own'";
  }
}
