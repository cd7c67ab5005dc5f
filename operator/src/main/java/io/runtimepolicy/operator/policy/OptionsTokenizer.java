package io.runtimepolicy.operator.policy;

import io.runtimepolicy.operator.policy.JavaToolOptions.Token;
import java.util.ArrayList;
import java.util.List;

/** Splits an options value the way HotSpot splits JAVA_TOOL_OPTIONS (parse_options_buffer). */
final class OptionsTokenizer {

  private OptionsTokenizer() {}

  static List<Token> tokenize(String value) {
    List<Token> tokens = new ArrayList<>();
    if (value == null) {
      return tokens;
    }
    int pos = 0;
    while (pos < value.length()) {
      while (pos < value.length() && isSpace(value.charAt(pos))) {
        pos++;
      }
      if (pos == value.length()) {
        break;
      }
      int start = pos;
      pos = tokenEnd(value, pos);
      tokens.add(new Token(value.substring(start, pos), start, pos));
    }
    return tokens;
  }

  /** What the JVM sees for a token: quotes removed, quoted text kept as is. */
  static String unquote(String token) {
    StringBuilder out = new StringBuilder(token.length());
    char quote = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (quote == 0 && isQuote(c)) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether a token opens a quote it never closes (the JVM refuses to start on it). */
  static boolean hasOpenQuote(String token) {
    char quote = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (quote == 0 && isQuote(c)) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
    }
    return quote != 0;
  }

  /** C isspace in the C locale: the only separators HotSpot knows. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }

  // A quote groups everything up to its match, whitespace included; unmatched, it runs to the end.
  private static int tokenEnd(String value, int start) {
    int pos = start;
    while (pos < value.length() && !isSpace(value.charAt(pos))) {
      char c = value.charAt(pos);
      if (isQuote(c)) {
        int close = value.indexOf(c, pos + 1);
        pos = close < 0 ? value.length() : close + 1;
      } else {
        pos++;
      }
    }
    return pos;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }
}
