package io.kontroler.core.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A text with {@code {{ reference }}} placeholders, as a task's command, args, script and env
 * values may hold. {@code {{{{} writes a literal {@code {{}; everything else is plain text (no
 * quoting is added when a value is put in). A text without {@code {{} is returned as it is.
 */
public final class Template {
  private static final String OPEN = "{{";
  private static final String CLOSE = "}}";
  private static final String LITERAL_OPEN = "{{{{";

  /** Literal text, and the trimmed references between, in order: even indexes are text. */
  private final List<String> parts;

  private final String error;
  private final String text;

  private Template(List<String> parts, String error, String text) {
    this.parts = parts;
    this.error = error;
    this.text = text;
  }

  /**
   * Parses {@code text}; an unclosed or empty placeholder is kept as {@link #error()} (and such a
   * template renders as the text unchanged).
   */
  public static Template parse(String text) {
    List<String> parts = new ArrayList<>();
    if (text == null || !text.contains(OPEN)) {
      parts.add(text == null ? "" : text);
      return new Template(parts, null, text);
    }
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith(LITERAL_OPEN, i)) {
        literal.append(OPEN);
        i += LITERAL_OPEN.length();
      } else if (text.startsWith(OPEN, i)) {
        int end = text.indexOf(CLOSE, i + OPEN.length());
        if (end < 0) {
          return new Template(parts, "'{{' at character " + i + " is not closed by '}}'", text);
        }
        String reference = text.substring(i + OPEN.length(), end).trim();
        if (reference.isEmpty()) {
          return new Template(parts, "empty '{{ }}' at character " + i, text);
        }
        parts.add(literal.toString());
        parts.add(reference);
        literal.setLength(0);
        i = end + CLOSE.length();
      } else {
        literal.append(text.charAt(i));
        i++;
      }
    }
    parts.add(literal.toString());
    return new Template(parts, null, text);
  }

  /** Why the text is not a template, or null when it is one. */
  public String error() {
    return error;
  }

  /** The references, trimmed ({@code params.day}), in the order they appear. */
  public List<String> references() {
    List<String> refs = new ArrayList<>();
    for (int k = 1; k < parts.size(); k += 2) {
      refs.add(parts.get(k));
    }
    return refs;
  }

  /** The text with each reference replaced by {@code values.apply(reference)}. */
  public String render(UnaryOperator<String> values) {
    if (error != null) {
      return text;
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < parts.size(); k++) {
      out.append(k % 2 == 0 ? parts.get(k) : values.apply(parts.get(k)));
    }
    return out.toString();
  }

  /** {@code text} rendered; null stays null. */
  public static String render(String text, UnaryOperator<String> values) {
    if (text == null || !text.contains(OPEN)) {
      return text;
    }
    return parse(text).render(values);
  }

  /** Whether {@code text} holds a placeholder (or a literal {@code {{{{}). */
  public static boolean isTemplate(String text) {
    return text != null && text.contains(OPEN);
  }
}
