package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The managed JVM flags inside an options env var, edited without touching the user's own text. */
public final class JavaToolOptions {

  public static final String ACTIVE_PROCESSOR_COUNT = "-XX:ActiveProcessorCount";
  public static final String MAX_RAM_PERCENTAGE = "-XX:MaxRAMPercentage";

  private static final List<String> MANAGED = List.of(ACTIVE_PROCESSOR_COUNT, MAX_RAM_PERCENTAGE);

  private JavaToolOptions() {}

  /**
   * One option as the JVM splits the value.
   *
   * @param text the option exactly as written, quotes included
   * @param start its first character in the value
   * @param end one past its last character
   */
  public record Token(String text, int start, int end) {

    /** The option as the JVM reads it: quote characters removed, quoted text kept. */
    public String unquoted() {
      return OptionsTokenizer.unquote(text);
    }

    /** Whether the token opens a quote it never closes; it then runs to the end of the value. */
    public boolean hasOpenQuote() {
      return OptionsTokenizer.hasOpenQuote(text);
    }

    /** The flag of {@code flags} this token sets ({@code -XX:Flag=...} or bare), else null. */
    public String flag(Collection<String> flags) {
      String option = unquoted();
      for (String flag : flags) {
        boolean bare = option.equals(flag);
        if (bare || (option.startsWith(flag) && option.charAt(flag.length()) == '=')) {
          return flag;
        }
      }
      return null;
    }
  }

  /**
   * The options as the JVM splits JAVA_TOOL_OPTIONS: separated by whitespace (space, tab, CR, LF,
   * FF, VT); a single or double quote groups everything up to its match, whitespace included, and
   * is kept in the token text; an unterminated quote runs to the end. Null gives no tokens. Never
   * throws.
   */
  public static List<Token> tokenize(String value) {
    return OptionsTokenizer.tokenize(value);
  }

  /**
   * {@code current} with the {@code managed} flags (name to value, in the order to append) set, and
   * the user's own text preserved as written:
   *
   * <ul>
   *   <li>the first occurrence of a managed flag ({@code -XX:Flag=...} or a bare {@code -XX:Flag},
   *       quoted or not) is replaced in place by {@code -XX:Flag=value};
   *   <li>later occurrences are removed together with the whitespace before them;
   *   <li>a missing flag is appended after the last option as {@code " -XX:Flag=value"}, before any
   *       trailing whitespace; an empty or blank value becomes just the flags. When the last option
   *       opens a quote it never closes, appending would land inside the quote, so the flags go in
   *       front of that option instead.
   * </ul>
   *
   * <p>Deterministic and idempotent ({@code merge(merge(x)) == merge(x)}); when nothing changes,
   * {@code current} itself is returned, so callers can skip the write. Flags not in {@code managed}
   * are the user's and are left alone. Values must not contain whitespace or quotes. Never throws.
   */
  public static String merge(String current, LinkedHashMap<String, String> managed) {
    String text = current == null ? "" : current;
    if (managed == null || managed.isEmpty()) {
      return text;
    }
    List<Token> tokens = tokenize(text);
    if (tokens.isEmpty()) {
      return String.join(" ", options(managed, managed.keySet()));
    }
    Set<String> missing = new LinkedHashSet<>(managed.keySet());
    StringBuilder out = new StringBuilder(text.length() + 64);
    int copied = 0;
    int gapStart = 0;
    int lastStart = 0;
    boolean lastOpen = false;
    for (Token token : tokens) {
      String flag = token.flag(managed.keySet());
      if (flag == null || missing.remove(flag)) {
        gapStart = out.length();
        out.append(text, copied, token.start());
        lastStart = out.length();
        out.append(flag == null ? token.text() : flag + "=" + managed.get(flag));
        lastOpen = flag == null && token.hasOpenQuote();
      }
      copied = token.end();
    }
    if (!missing.isEmpty()) {
      String flags = String.join(" ", options(managed, missing));
      if (lastOpen) {
        // Reuse the gap before the open option, so strip() gives back exactly the user's text.
        String gap = gapStart == 0 ? " " : out.substring(gapStart, lastStart);
        out.insert(lastStart, flags + gap);
      } else {
        out.append(' ').append(flags);
      }
    }
    String result = out.append(text, copied, text.length()).toString();
    return result.equals(text) ? text : result;
  }

  /**
   * {@code current} without any -XX:ActiveProcessorCount or -XX:MaxRAMPercentage option: each is
   * removed with the whitespace before it (after it, when it comes first); everything else stays
   * exactly as written. {@code ""} when nothing else is left; {@code current} itself when it has no
   * managed flag. Never throws.
   */
  public static String strip(String current) {
    if (current == null) {
      return "";
    }
    List<Token> tokens = tokenize(current);
    if (tokens.stream().allMatch(token -> token.flag(MANAGED) == null)) {
      return current;
    }
    StringBuilder out = new StringBuilder(current.length());
    int previousEnd = 0;
    boolean kept = false;
    for (Token token : tokens) {
      if (token.flag(MANAGED) == null) {
        // The first kept option keeps the leading whitespace; later ones the gap right before.
        int gapStart = kept ? previousEnd : 0;
        int gapEnd = kept ? token.start() : tokens.get(0).start();
        out.append(current, gapStart, gapEnd).append(token.text());
        kept = true;
      }
      previousEnd = token.end();
    }
    return kept ? out.append(current, previousEnd, current.length()).toString() : "";
  }

  /**
   * The managed flags present in {@code current}, flag to value ({@code ""} for a bare flag), in
   * order of first appearance; when a flag repeats, the last value wins, as in the JVM. Never
   * throws.
   */
  public static Map<String, String> managedFlags(String current) {
    return flags(current, MANAGED);
  }

  /** The same for any set of flags ({@code --max-old-space-size} in NODE_OPTIONS). */
  public static Map<String, String> flags(String current, Collection<String> names) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (Token token : tokenize(current)) {
      String flag = token.flag(names);
      if (flag != null) {
        String option = token.unquoted();
        String value = option.length() == flag.length() ? "" : option.substring(flag.length() + 1);
        flags.put(flag, value);
      }
    }
    return flags;
  }

  private static List<String> options(Map<String, String> managed, Collection<String> flags) {
    return flags.stream().map(flag -> flag + "=" + managed.get(flag)).collect(Collectors.toList());
  }

  /**
   * The variable's literal value as the container sees it: the last entry named {@code envVar}
   * wins, as in the kubelet; empty when there is none or it is set through valueFrom.
   */
  public static Optional<String> literalValue(Container container, String envVar) {
    return EnvVars.literal(container, envVar);
  }
}
