package io.chainbreaker;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from outside (operators' actors and reasons, anything read back from a state
 * store, a node's error message) safe to put in one log line: every ISO control character ({@code
 * \r}, {@code \n}, {@code \t}, ESC, NUL, DEL, C1 controls) is written visibly as its {@code
 * \}{@code uXXXX} escape, so such text can neither forge a log line nor send terminal escape
 * sequences. Everything else, backslashes included, is kept as it is.
 */
public final class SafeText {

  private SafeText() {}

  /** {@code text} with control characters escaped; "null" for null. Allocates only if needed. */
  public static String escape(@Nullable Object text) {
    String s = String.valueOf(text);
    int i = 0;
    while (i < s.length() && !Character.isISOControl(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether {@code text} holds an ISO control character (which {@link #escape} would escape). */
  public static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
