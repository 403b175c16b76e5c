package org.fedrec.data.internal;

import java.util.ArrayList;
import java.util.List;

/** Small string helpers (no regular expressions). */
public final class Text {
  private Text() {}

  /** Splits on every occurrence of {@code sep}, dropping empty parts and trimming each. */
  public static List<String> splitNonEmpty(String s, String sep) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from <= s.length()) {
      int at = s.indexOf(sep, from);
      int end = at < 0 ? s.length() : at;
      String part = s.substring(from, end).trim();
      if (!part.isEmpty()) {
        out.add(part);
      }
      if (at < 0) {
        break;
      }
      from = at + sep.length();
    }
    return out;
  }
}
